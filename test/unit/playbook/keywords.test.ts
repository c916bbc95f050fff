import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadPlaybook } from "../../../src/playbook/load.js";
import type { TaskNode } from "../../../src/playbook/model.js";
import { loadFailure, loadPlay } from "./load-play.js";
import { writeTree } from "./helpers.js";

function firstTask(taskYaml: string): TaskNode {
  const handlers = "  handlers:\n    - name: restart\n      command: echo restart\n";
  const node = loadPlay(`- hosts: all\n${handlers}  tasks:\n${taskYaml}`).tasks[0];
  if (node?.kind !== "task") throw new Error("expected a task");
  return node;
}

describe("task keyword normalization", () => {
  it.each([
    ["tags: web, config", { tags: ["web", "config"] }],
    ["tags: [a, b, a]", { tags: ["a", "b"] }],
    ["when: true", { when: ["true"] }],
    ["when: [x, 'y > 1']", { when: ["x", "y > 1"] }],
    ["become: yes", { become: true }],
    ["become: false", { become: false }],
    // keywords Ansible templates keep their template for the run (executor/flags.ts)
    ['become: "{{ admin }}"', { become: "{{ admin }}" }],
    ['ignore_errors: "{{ ansible_check_mode }}"', { ignoreErrors: "{{ ansible_check_mode }}" }],
    ['run_once: "{{ once }}"', { runOnce: "{{ once }}" }],
    ['check_mode: "{{ dry }}"', { checkMode: "{{ dry }}" }],
    // the same words module arguments take (playbook/booleans.ts), in any case
    ["become: 'y'", { become: true }],
    ["ignore_errors: '0'", { ignoreErrors: false }],
    ["no_log: OFF", { noLog: false }],
    ["notify: restart", { notify: ["restart"] }],
    ["retries: '4'", { retries: 4 }],
    ["with_items: \"{{ users }}\"", { loop: "{{ users }}", loopWith: "items", loopVar: "item" }],
    ["with_list: [1, 2]", { loop: [1, 2], loopWith: "list" }],
    ["with_dict: { a: 1 }", { loop: { a: 1 }, loopWith: "dict" }],
    ["with_sequence: count=3", { loop: "count=3", loopWith: "sequence" }],
    ["with_nested: [[1], [2]]", { loop: [[1], [2]], loopWith: "nested" }],
    ["loop: [a]\n      loop_control: { index_var: i, extended: yes, pause: 0.5 }", { indexVar: "i", loopExtended: true, loopPauseSeconds: 0.5, loopWith: undefined }],
    ["failed_when: false", { failedWhen: ["false"] }],
    ["environment: \"{{ proxy_env }}\"", { environment: "{{ proxy_env }}" }],
  ])("%s", (line, expected) => {
    expect(firstTask(`    - command: echo hi\n      ${line}\n`)).toMatchObject(expected);
  });

  it("names a task without name: after its module and arguments", () => {
    expect(firstTask("    - file:\n        path: /tmp/x\n        state: directory\n").name).toBe("file path=/tmp/x state=directory");
    expect(firstTask("    - ping:\n").name).toBe("ping");
  });

  it("refuses listen: on a task, which only handlers have", () => {
    const error = loadFailure("- hosts: all\n  tasks:\n    - command: echo hi\n      listen: topic\n");
    expect(error.message).toMatch(/only for handlers/);
    expect(error.location).toMatchObject({ line: 4, column: 7 });
  });

  it("accepts ansible.builtin. module names as the plain module", () => {
    expect(firstTask("    - ansible.builtin.shell: ls\n")).toMatchObject({ module: "shell", args: { cmd: "ls" } });
  });

  it("lets inline arguments win over args:", () => {
    expect(firstTask("    - copy: dest=/a\n      args:\n        dest: /b\n        mode: '0600'\n").args).toEqual({ dest: "/a", mode: "0600" });
  });
});

describe("module argument validation at load", () => {
  it("skips type checks of templated values", () => {
    expect(firstTask("    - wait_for:\n        port: \"{{ ssh_port }}\"\n").args).toEqual({ port: "{{ ssh_port }}" });
  });

  it("still checks argument names next to templated values", () => {
    const error = loadFailure("- hosts: all\n  tasks:\n    - wait_for:\n        prot: \"{{ ssh_port }}\"\n");
    expect(error.message).toMatch(/unknown argument .prot. for module .wait_for./);
    expect(error.location?.line).toBe(4);
  });
});

describe("play keywords", () => {
  it.each([
    ["serial: 3", { serial: [3] }],
    ["serial: '30%'", { serial: ["30%"] }],
    ["serial: ['1', 2, 50%]", { serial: [1, 2, "50%"] }],
    ["gather_facts: no", { gatherFacts: false }],
    ["become_user: admin", { becomeUser: "admin" }],
    ["name: Deploy", { name: "Deploy" }],
    ["tags: [deploy]", { tags: ["deploy"] }],
  ])("%s", (line, expected) => {
    expect(loadPlay(`- hosts: web\n  ${line}\n`)).toMatchObject(expected);
  });

  it("names a play after its hosts by default", () => {
    expect(loadPlay("- hosts: [web, db]\n")).toMatchObject({ name: "web:db", strategy: "linear", serial: [], become: false });
  });
});

describe("import_tasks keywords", () => {
  it("hands become and ignore_errors to every imported task as a block around them; when, tags and vars are pushed as before", () => {
    const play = loadPlay("- hosts: all\n  tasks:\n    - import_tasks: inner.yaml\n      become: true\n      ignore_errors: true\n      tags: t\n", {
      "inner.yaml": "- command: id -un\n- command: whoami\n",
    });
    const [block] = play.tasks;
    expect(block?.kind).toBe("block");
    if (block?.kind !== "block") return;
    expect([block.become, block.ignoreErrors, block.tags]).toEqual([true, true, []]);
    expect(block.block.map((node) => [node.kind, node.tags])).toEqual([["task", ["t"]], ["task", ["t"]]]);
  });

  it("stays a plain import without such keywords", () => {
    const play = loadPlay("- hosts: all\n  tasks:\n    - import_tasks: inner.yaml\n      when: x\n", { "inner.yaml": "- command: id -un\n" });
    expect(play.tasks.map((node) => [node.kind, node.when])).toEqual([["task", ["x"]]]);
  });
});

describe("roles", () => {
  const roles = {
    "roles/base/tasks/main.yaml": "- name: base task\n  command: echo base\n",
    "roles/base/handlers/main.yaml": "- name: base handler\n  command: echo h\n",
    "roles/web/meta/main.yaml": "dependencies: [base]\n",
    "roles/web/tasks/main.yaml": "- name: web task\n  command: echo web\n",
    "roles/db/meta/main.yml": "dependencies:\n  - role: base\n",
    "roles/db/tasks/main.yml": "- name: db task\n  command: echo db\n",
  };

  it("runs a shared dependency once per play and registers its handlers once", () => {
    const play = loadPlay("- hosts: all\n  roles: [web, db]\n  tasks:\n    - import_role:\n        name: base\n", roles);
    expect(play.roles.map((role) => role.name)).toEqual(["base", "web", "db"]);
    expect(play.tasks.map((node) => node.name)).toEqual(["base task", "web task", "db task", "base task"]);
    expect(play.handlers.map((handler) => handler.name)).toEqual(["base handler"]);
  });

  it("pushes the when, tags and params of a roles: entry onto the role's tasks", () => {
    const play = loadPlay("- hosts: all\n  roles:\n    - role: web\n      when: enabled\n      tags: front\n      port: 8080\n", roles);
    expect(play.tasks.map((node) => [node.name, node.when, node.tags, node.vars])).toEqual([
      ["base task", ["enabled"], ["front"], {}],
      ["web task", ["enabled"], ["front"], { port: 8080 }],
    ]);
  });

  it("gives a roles: entry's remote_user and connection to the role's handlers too", () => {
    const play = loadPlay("- hosts: all\n  roles:\n    - role: base\n      remote_user: deploy\n      connection: local\n", roles);
    expect(play.handlers.map((handler) => [handler.name, handler.remoteUser, handler.connection])).toEqual([["base handler", "deploy", "local"]]);
  });

  it("finds roles beside the playbook directory (../roles)", () => {
    const dir = writeTree({ "playbooks/site.yaml": "- hosts: all\n  roles: [base]\n", ...roles });
    const playbook = loadPlaybook(join(dir, "playbooks/site.yaml"), { rolesPath: [] });
    expect(playbook.plays[0]?.roles[0]?.path).toBe(join(dir, "roles/base"));
  });

  it("reports a role that imports itself as an import cycle", () => {
    const error = loadFailure("- hosts: all\n  roles: [loop]\n", { "roles/loop/tasks/main.yaml": "- import_role:\n    name: loop\n" });
    expect(error.message).toMatch(/import cycle: .*main.yaml -> .*main.yaml/);
    expect(error.location).toMatchObject({ line: 2, column: 11 });
  });
});

describe("the old include (Ansible 2.14's rules)", () => {
  const inner = { "t.yml": "- command: echo inside\n" };
  it("is static for a plain file: its tasks are read now, under a block with its keywords and x=1 params", () => {
    const play = loadPlay("- hosts: all\n  tasks:\n    - include: t.yml x=1\n      become: true\n      when: go\n", inner);
    const node = play.tasks[0];
    expect(node).toMatchObject({ kind: "block", vars: { x: 1 }, become: true, when: ["go"] });
    expect(node?.kind === "block" ? node.block[0] : undefined).toMatchObject({ kind: "task", module: "command" });
  });
  it("is dynamic (include_tasks) when the file is templated, it loops, or static: false", () => {
    for (const yaml of ['    - include: "{{ f }}"\n', "    - include: t.yml\n      loop: [1]\n", "    - include: t.yml\n      static: false\n"]) {
      expect(loadPlay(`- hosts: all\n  tasks:\n${yaml}`, inner).tasks[0]).toMatchObject({ kind: "include" });
    }
  });
  it("names its file", () => {
    expect(loadFailure("- hosts: all\n  tasks:\n    - include: missing.yml\n").message).toMatch(/tasks file not found: missing.yml/);
  });
});

describe("import_role/include_role with *_from", () => {
  const role = {
    "roles/r/tasks/main.yml": "- command: echo main\n",
    "roles/r/tasks/other.yml": "- command: echo other\n",
    "roles/r/vars/main.yml": "v: main\n",
    "roles/r/vars/alt.yml": "v: alt\n",
    "roles/r/defaults/alt.yml": "d: alt\n",
  };
  it("reads the named tasks, vars and defaults files in place of main", () => {
    const play = loadPlay("- hosts: all\n  tasks:\n    - import_role: { name: r, tasks_from: other, vars_from: alt.yml, defaults_from: alt }\n", role);
    const task = play.tasks[0];
    expect(task).toMatchObject({ kind: "task", args: { cmd: "echo other" }, role: { vars: { v: "alt" }, defaults: { d: "alt" } } });
  });
  it("a named file that is not there is an error at the role's name", () => {
    expect(loadFailure("- hosts: all\n  tasks:\n    - include_role: { name: r, tasks_from: nope }\n", role).message).toMatch(/tasks_from: nope not found/);
  });
});

describe("issue 12's task forms and time limits", () => {
  it("reads action: and local_action: as the module they name, free-form or as a mapping", () => {
    expect(firstTask("    - action: copy content=x dest=/tmp/a\n")).toMatchObject({ module: "copy", args: { content: "x", dest: "/tmp/a" } });
    expect(firstTask("    - action: { module: copy, content: x, dest: /tmp/a }\n")).toMatchObject({ module: "copy", args: { content: "x", dest: "/tmp/a" } });
    const local = firstTask("    - local_action: command echo hi\n");
    expect(local).toMatchObject({ module: "command", args: { cmd: "echo hi" }, delegateTo: "localhost" });
    expect(firstTask("    - local_action:\n        module: ansible.builtin.command\n        cmd: echo hi\n")).toMatchObject({ module: "command", delegateTo: "localhost" });
  });

  it("reads async, poll, timeout and diff", () => {
    expect(firstTask("    - command: sleep 1\n      async: 30\n      poll: 0\n      timeout: 5\n      diff: false\n")).toMatchObject({ async: 30, poll: 0, timeout: 5, diff: false });
  });

  it("accepts collections and become_method: sudo, and refuses another method", () => {
    const play = loadPlay("- hosts: all\n  collections: [ansible.posix]\n  become_method: sudo\n  tasks:\n    - command: id\n      become_method: sudo\n      collections: community.general\n");
    expect(play.tasks).toHaveLength(1);
    const error = loadFailure("- hosts: all\n  become_method: su\n  tasks: []\n");
    expect(error.message).toBe('become_method the string "su" is not supported');
    expect(error.location).toMatchObject({ line: 2, column: 18 });
  });
});

// remote_user and connection: where they may be written, what they accept, and the errors for the rest
describe("remote_user and connection keywords", () => {
  it("are read on the play, a block, a task and a role entry", () => {
    const play = loadPlay(
      [
        "- hosts: all",
        "  remote_user: admin",
        "  connection: smart",
        "  roles:",
        "    - role: web",
        "      remote_user: deploy",
        "      connection: paramiko",
        "  tasks:",
        "    - command: id",
        "      remote_user: \"{{ other }}\"",
        "      connection: local",
        "    - block:",
        "        - command: id",
        "      remote_user: root",
        "      connection: ssh",
      ].join("\n"),
      { "roles/web/tasks/main.yaml": "- command: id\n- command: id\n  remote_user: own\n" },
    );
    expect(play).toMatchObject({ remoteUser: "admin", connection: "smart" });
    const [roleTask, roleOwn, task, block] = play.tasks;
    expect(roleTask).toMatchObject({ kind: "task", remoteUser: "deploy", connection: "paramiko" });
    // the role task's own keyword wins over its role entry's
    expect(roleOwn).toMatchObject({ kind: "task", remoteUser: "own", connection: "paramiko" });
    expect(task).toMatchObject({ kind: "task", remoteUser: "{{ other }}", connection: "local" });
    expect(block).toMatchObject({ kind: "block", remoteUser: "root", connection: "ssh" });
    // a role entry's keywords are keywords, not role parameters
    expect(roleTask?.vars).not.toHaveProperty("remote_user");
  });

  it("take a templated connection, checked when it is rendered", () => {
    const play = loadPlay("- hosts: all\n  tasks:\n    - command: id\n      connection: \"{{ how }}\"\n");
    expect(play.tasks[0]).toMatchObject({ connection: "{{ how }}" });
  });

  it.each([
    ["a task", "- hosts: all\n  tasks:\n    - command: id\n      connection: winrm\n", 4, 19],
    ["a play", "- hosts: all\n  connection: docker\n  tasks: []\n", 2, 15],
    ["a block", "- hosts: all\n  tasks:\n    - block:\n        - command: id\n      connection: psrp\n", 5, 19],
  ])("refuse a connection runbook does not have, on %s, located with a hint", (_where, yaml, line, column) => {
    const error = loadFailure(yaml);
    expect(error.message).toMatch(/^connection ".+" is not supported/);
    expect(error.hint).toContain("local, ssh, smart, paramiko");
    expect(error.location).toMatchObject({ line, column });
  });

  it("refuse a remote_user that is not a string", () => {
    const error = loadFailure("- hosts: all\n  tasks:\n    - command: id\n      remote_user: [a, b]\n");
    expect(error.message).toMatch(/remote_user must be a non-empty string/);
    expect(error.location).toMatchObject({ line: 4 });
  });
});
