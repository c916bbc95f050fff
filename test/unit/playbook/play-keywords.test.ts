import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { listTasks, loadPlaybook } from "../../../src/playbook/load.js";
import type { BlockNode, IncludeNode, Node, Play, TaskNode } from "../../../src/playbook/model.js";
import { fakeCatalog } from "./fake-catalog.js";
import { writeTree } from "./helpers.js";
import { loadFailure, loadPlay } from "./load-play.js";

const tasksOf = (nodes: readonly Node[]): TaskNode[] => nodes.flatMap((node) => (node.kind === "task" ? [node] : node.kind === "block" ? tasksOf(node.block) : []));

describe("play environment, order, throttle", () => {
  it("reads them", () => {
    const play = loadPlay("- hosts: all\n  environment: { LANG: C }\n  order: reverse_sorted\n  throttle: 2\n  tasks: []\n");
    expect(play).toMatchObject({ environment: { LANG: "C" }, order: "reverse_sorted", throttle: 2 });
  });

  it("keeps a templated environment for the run", () => {
    expect(loadPlay("- hosts: all\n  environment: '{{ proxy_env }}'\n").environment).toBe("{{ proxy_env }}");
  });

  it.each([
    ["  order: sortd\n", /unknown host order 'sortd'/, 2],
    ["  throttle: 0\n", /throttle/, 2],
    ["  environment: [A]\n", /environment must be a mapping/, 2],
  ])("refuses %j with a located error", (line, message, lineNumber) => {
    const error = loadFailure(`- hosts: all\n${line}`);
    expect(error.message).toMatch(message);
    expect(error.location?.line).toBe(lineNumber);
  });

  it("suggests the order meant", () => {
    expect(loadFailure("- hosts: all\n  order: sortd\n").hint).toMatch(/sorted/);
  });
});

describe("module_defaults", () => {
  const play = (defaults: string, tasks: string): Play => loadPlay(`- hosts: all\n  module_defaults:\n${defaults}  tasks:\n${tasks}`, { "inc.yml": "- command: pwd\n" });

  it("gives a module's tasks its defaults under their own arguments, by short or qualified name", () => {
    const loaded = play("    ansible.builtin.command: { chdir: /tmp, creates: /x }\n", "    - command: pwd\n    - ansible.builtin.command: pwd\n      args: { chdir: /var }\n    - shell: pwd\n");
    expect(tasksOf(loaded.tasks).map((task) => task.args)).toEqual([
      { chdir: "/tmp", creates: "/x", cmd: "pwd" },
      { chdir: "/var", creates: "/x", cmd: "pwd" },
      { cmd: "pwd" },
    ]);
  });

  it("merges a block's and a task's over the play's, argument by argument", () => {
    const tasks = "    - block:\n        - command: pwd\n        - command: pwd\n          module_defaults: { command: { creates: /t } }\n      module_defaults: { command: { chdir: /b } }\n    - command: pwd\n";
    const loaded = play("    command: { chdir: /p, creates: /p }\n", tasks);
    expect(tasksOf(loaded.tasks).map((task) => task.args)).toEqual([
      { chdir: "/b", creates: "/p", cmd: "pwd" },
      { chdir: "/b", creates: "/t", cmd: "pwd" },
      { chdir: "/p", creates: "/p", cmd: "pwd" },
    ]);
  });

  it("hands its defaults to what an include_tasks includes", () => {
    const loaded = play("    command: { chdir: /p }\n", "    - include_tasks: inc.yml\n");
    expect((loaded.tasks[0] as IncludeNode).moduleDefaults).toEqual({ command: { chdir: "/p" } });
  });

  it("reads a list of mappings, and group/ keys that match none of runbook's modules", () => {
    const loaded = play("    - command: { chdir: /a }\n    - group/aws: { region: x }\n      command: { creates: /c }\n", "    - command: pwd\n");
    expect(tasksOf(loaded.tasks)[0]?.args).toEqual({ chdir: "/a", creates: "/c", cmd: "pwd" });
  });

  it("refuses an argument the module does not take, where it is written", () => {
    const error = loadFailure("- hosts: all\n  module_defaults:\n    command: { chdri: /tmp }\n  tasks: []\n");
    expect(error.message).toMatch(/unknown argument 'chdri' for module 'command' in module_defaults/);
    expect(error.location?.line).toBe(3);
    expect(error.hint).toMatch(/chdir/);
  });

  it("refuses a value that is not a mapping", () => {
    expect(loadFailure("- hosts: all\n  module_defaults: [1]\n").message).toMatch(/module_defaults must map module names/);
    expect(loadFailure("- hosts: all\n  module_defaults: { command: 1 }\n").message).toMatch(/module_defaults for command must be a mapping/);
  });
});

describe("vars_prompt", () => {
  it("reads each entry, private by default", () => {
    const play = loadPlay("- hosts: all\n  vars_prompt:\n    - name: release\n      prompt: Which?\n      default: 1.2\n      private: no\n    - name: secret\n      confirm: true\n");
    expect(play.varsPrompt).toMatchObject([
      { name: "release", prompt: "Which?", default: "1.2", private: false, confirm: false },
      { name: "secret", private: true, confirm: true },
    ]);
  });

  it.each([
    ["    - prompt: x\n", /has no 'name:'/],
    ["    - name: 1bad\n", /must be a variable name/],
    ["    - name: pw\n      encrypt: sha512_crypt\n", /encrypt/],
    ["    - name: pw\n      promt: x\n", /unknown key 'promt'/],
  ])("refuses %j with a located error", (entry, message) => {
    const error = loadFailure(`- hosts: all\n  vars_prompt:\n${entry}`);
    expect(error.message).toMatch(message);
    expect(error.location?.line).toBeGreaterThanOrEqual(3);
  });
});

describe("include_role and include_tasks as tasks of their own", () => {
  const role = { "roles/r/tasks/main.yml": "- command: echo r\n  tags: inner\n", "inc.yml": "- command: echo i\n" };

  it("keeps include_role's tags for selecting it, its loop, and apply as a block around the role", () => {
    const play = loadPlay("- hosts: all\n  tasks:\n    - include_role:\n        name: r\n        apply: { tags: applied, become: true }\n      loop: [a, b]\n      loop_control: { loop_var: x }\n      tags: outer\n", role);
    const block = play.tasks[0] as BlockNode;
    expect(block).toMatchObject({ includedRole: "r", includeTags: ["outer"], tags: [], roleLoop: { loop: ["a", "b"], loopVar: "x" } });
    const applied = block.block[0] as BlockNode;
    expect(applied).toMatchObject({ kind: "block", tags: ["applied"], become: true });
    expect(tasksOf(applied.block)[0]?.tags).toEqual(["inner"]);
  });

  it("reads include_tasks' apply", () => {
    const play = loadPlay("- hosts: all\n  tasks:\n    - include_tasks:\n        file: inc.yml\n        apply: { tags: [a, b] }\n", role);
    expect((play.tasks[0] as IncludeNode).apply).toMatchObject({ kind: "block", tags: ["a", "b"] });
  });

  it("passes an import's tags to an include's tasks through parentTags, not its own", () => {
    const play = loadPlay("- hosts: all\n  tasks:\n    - import_tasks: outer.yml\n      tags: imp\n", { ...role, "outer.yml": "- include_tasks: inc.yml\n  tags: own\n" });
    expect(play.tasks[0]).toMatchObject({ kind: "include", tags: ["imp", "own"], parentTags: ["imp"] });
  });

  it("refuses a keyword apply does not take, and loop on import_role", () => {
    expect(loadFailure("- hosts: all\n  tasks:\n    - include_role:\n        name: r\n        apply: { loop: [1] }\n", role).message).toMatch(/unknown key 'loop' in apply/);
    expect(loadFailure("- hosts: all\n  tasks:\n    - import_role: { name: r }\n      loop: [1]\n", role).message).toMatch(/unknown key 'loop' in import_role/);
  });

  it("does not tag a role's tasks with the role's name", () => {
    expect(tasksOf(loadPlay("- hosts: all\n  roles: [r]\n", role).tasks)[0]?.tags).toEqual(["inner"]);
  });
});

describe("--list-tasks and include_role", () => {
  it("lists an include_role as itself, with its own tags, not its role's tasks", () => {
    const dir = writeTree({ "site.yaml": "- hosts: all\n  tasks:\n    - include_role: { name: r }\n      tags: t\n    - command: echo after\n", "roles/r/tasks/main.yml": "- command: echo r\n" });
    const listed = listTasks(loadPlaybook(join(dir, "site.yaml"), { catalog: fakeCatalog, rolesPath: [] }));
    expect(listed.map((entry) => [entry.name, entry.tags])).toEqual([
      ["include_role : r", ["t"]],
      ["command echo after", []],
    ]);
  });
});
