import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { findRoleNames, listTasks, loadPlaybook, loadTaskFile } from "../../../src/playbook/load.js";
import type { BlockNode, IncludeNode, Node, Play, Playbook, TaskNode } from "../../../src/playbook/model.js";
import { fakeCatalog } from "./fake-catalog.js";
import { fixtures } from "./helpers.js";

const project = join(fixtures, "playbooks/project");
const site = join(project, "playbooks/site.yaml");

function task(nodes: readonly Node[], name: string): TaskNode {
  const found = nodes.find((node): node is TaskNode => node.kind === "task" && node.name === name);
  if (found === undefined) throw new Error(`no task named ${name} in ${nodes.map((node) => node.name).join(", ")}`);
  return found;
}

describe("loadPlaybook on the fixture project", () => {
  let playbook: Playbook;
  let web: Play;
  beforeAll(() => {
    playbook = loadPlaybook(site, { extraVars: { env: "prod" }, catalog: fakeCatalog });
    const play = playbook.plays[1];
    if (play === undefined) throw new Error("expected two plays");
    web = play;
  });

  it("inlines import_playbook plays first, in file order", () => {
    expect(playbook.baseDir).toBe(join(project, "playbooks"));
    expect(playbook.plays.map((play) => play.name)).toEqual(["all", "Configure web"]);
    expect(playbook.plays[0]?.where).toEqual({ file: join(project, "playbooks/common.yaml"), line: 1, column: 3 });
    expect(playbook.plays[0]?.gatherFacts).toBe(false);
    expect(playbook.plays[0]?.tasks.map((node) => node.name)).toEqual(["ping"]);
  });

  it("reads play keywords with Ansible's defaults", () => {
    expect(web).toMatchObject({
      hosts: "web:db",
      become: true,
      becomeUser: "root",
      gatherFacts: true,
      serial: [1, "50%"],
      strategy: "free",
      anyErrorsFatal: true,
      maxFailPercentage: 20,
      tags: ["site"],
    });
  });

  it("merges vars_files over vars in order, with extra vars in the path", () => {
    expect(web.vars).toEqual({ port: 80, env_name: "dev", shared: 1, override: "prod" });
  });

  it("lists roles dependencies first, each once", () => {
    expect(web.roles.map((role) => role.name)).toEqual(["c", "b", "a"]);
    expect(findRoleNames(playbook)).toEqual(["c", "b", "a"]);
    const a = web.roles[2];
    expect(a).toEqual({ name: "a", path: join(project, "roles/a"), defaults: { a_var: 1 }, vars: { a_fixed: 2 } });
  });

  it("puts role tasks before the play's tasks, with their references' tags (a role's name is no tag, as in Ansible)", () => {
    expect(web.tasks.slice(0, 4).map((node) => [node.name, node.role?.name, node.tags])).toEqual([
      ["C template", "c", ["ctag"]],
      ["C command", "c", ["ctag"]],
      ["command echo b", "b", []],
      ["A task", "a", []],
    ]);
  });

  it("gives role params precedence over a role task's own vars", () => {
    expect(task(web.tasks, "C command").vars).toEqual({ c_param: 5 });
  });

  it("parses free-form arguments: command lines and key=value pairs", () => {
    expect(web.preTasks[0]).toMatchObject({ name: "command echo hi", module: "command", args: { cmd: "echo hi" } });
    expect(task(web.tasks, "Copy config")).toMatchObject({
      module: "copy",
      args: { src: "app.conf", dest: "/etc/my app.conf", mode: "0644", force: true },
      notify: ["restart app"],
      tags: ["config", "files"],
    });
  });

  it("reads loops, registers, retries and environment", () => {
    expect(task(web.tasks, "Install packages")).toMatchObject({
      module: "apt",
      args: { name: "{{ pkg }}", state: "present" },
      loop: ["nginx", "curl"],
      loopVar: "pkg",
      when: ["ansible_os_family == 'Debian'"],
      register: "installed",
      until: "installed is succeeded",
      retries: 3,
      delaySeconds: 2,
      environment: { LANG: "C" },
    });
  });

  it("keeps blocks with rescue and always, located at their first key", () => {
    const block = web.tasks.find((node): node is BlockNode => node.kind === "block");
    expect(block).toMatchObject({ name: "Guarded", when: ["first", "second"], becomeUser: "app" });
    expect(block?.where).toEqual({ file: site, line: 40, column: 7 });
    expect(block?.block[0]).toMatchObject({ module: "shell", args: { cmd: "exit 1", chdir: "/tmp" }, name: "shell exit 1" });
    expect(block?.rescue[0]).toMatchObject({ module: "debug", args: { msg: "rescued" } });
    expect(block?.always[0]).toMatchObject({ kind: "meta", action: "flush_handlers", name: "meta flush_handlers" });
  });

  it("inlines import_tasks (nested too) and pushes when, tags and vars onto them", () => {
    expect(task(web.tasks, "Setup step")).toMatchObject({ when: ["setup_enabled", "step_enabled"], tags: ["setup"], vars: { stage: "one" } });
    const nested = task(web.tasks, "Nested step");
    expect(nested).toMatchObject({ when: ["setup_enabled"], tags: ["setup"], vars: { stage: "nested" } });
    expect(nested.where.file).toBe(join(project, "playbooks/tasks/nested.yaml"));
  });

  it("keeps include_tasks dynamic, with the including file's directory", () => {
    const includes = web.tasks.filter((node): node is IncludeNode => node.kind === "include");
    expect(includes.map((node) => [node.name, node.file, node.baseDir, node.loop])).toEqual([
      ["include_tasks tasks/dynamic.yaml", "tasks/dynamic.yaml", join(project, "playbooks"), "{{ groups_list }}"],
      ["include_tasks tasks/{{ name }}.yaml", "tasks/{{ name }}.yaml", join(project, "playbooks"), undefined],
    ]);
  });

  it("inlines import_role again even when the role already ran, with its vars as params", () => {
    const imported = web.tasks.slice(-2);
    expect(imported.map((node) => [node.name, node.tags, node.vars])).toEqual([
      ["C template", [], { c_param: 9 }],
      ["C command", [], { c_param: 9 }],
    ]);
  });

  it("reads the remaining task keywords", () => {
    expect(web.postTasks[0]).toMatchObject({
      module: "debug",
      name: 'debug msg="done now" verbosity=1',
      args: { msg: "done now", verbosity: 1 },
      changedWhen: ["false"],
      failedWhen: ["result.rc != 0", "true"],
      ignoreErrors: true,
      noLog: true,
      runOnce: true,
      delegateTo: "localhost",
    });
  });

  it("collects role handlers then play handlers, with listen topics", () => {
    expect(web.handlers.map((handler) => [handler.name, handler.role?.name, handler.listen])).toEqual([
      ["a handler", "a", ["a handler", "a topic"]],
      ["restart app", undefined, ["restart app", "web restarted", "app changed"]],
    ]);
  });

  it("lists tasks with their effective tags for --list-tasks", () => {
    const listed = listTasks(playbook);
    expect(listed[0]).toEqual({ play: "all", role: undefined, name: "ping", tags: [] });
    expect(listed.find((entry) => entry.name === "shell exit 1")).toEqual({ play: "Configure web", role: undefined, name: "shell exit 1", tags: ["site"] });
    expect(listed.find((entry) => entry.name === "Nested step")?.tags).toEqual(["site", "setup"]);
    expect(listed.some((entry) => entry.name.startsWith("meta"))).toBe(false);
    expect(listed).toHaveLength(17);
  });
});

describe("role search paths", () => {
  it("finds roles in the given roles path after the playbook's own", () => {
    const playbook = loadPlaybook(join(project, "playbooks/extra.yaml"), { rolesPath: [join(fixtures, "playbooks/extra-roles")] });
    expect(playbook.plays[0]?.tasks.map((node) => [node.name, node.role?.path])).toEqual([["D task", join(fixtures, "playbooks/extra-roles/d")]]);
  });

  it("reads RUNBOOK_ROLES_PATH when no roles path is given", () => {
    const saved = process.env.RUNBOOK_ROLES_PATH;
    process.env.RUNBOOK_ROLES_PATH = `/nonexistent:${join(fixtures, "playbooks/extra-roles")}`;
    try {
      expect(findRoleNames(loadPlaybook(join(project, "playbooks/extra.yaml")))).toEqual(["d"]);
    } finally {
      if (saved === undefined) delete process.env.RUNBOOK_ROLES_PATH;
      else process.env.RUNBOOK_ROLES_PATH = saved;
    }
  });
});

describe("loadTaskFile", () => {
  it("loads a tasks file for a dynamic include", () => {
    const nodes = loadTaskFile(join(project, "playbooks/tasks/dynamic.yaml"));
    expect(nodes).toMatchObject([{ kind: "task", name: "Dynamic step", module: "raw", args: { cmd: "uptime" }, role: undefined }]);
  });

  it("marks the nodes with the including role", () => {
    const role = { name: "c", path: join(project, "roles/c"), defaults: {}, vars: {} };
    const nodes = loadTaskFile(join(project, "roles/c/tasks/main.yaml"), role);
    expect(nodes.map((node) => [node.name, node.role])).toEqual([
      ["C template", role],
      ["C command", role],
    ]);
  });
});
