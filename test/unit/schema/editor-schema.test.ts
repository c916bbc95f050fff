import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { Ajv } from "ajv";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { editorSchema, SCHEMA_KINDS } from "../../../src/schema/editor-schema.js";
import { moduleFqcn, modules } from "../../../src/modules/registry.js";

const root = join(import.meta.dirname, "../../..");
const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false, strictRequired: false });
const validators = Object.fromEntries(SCHEMA_KINDS.map((kind) => [kind, ajv.compile(editorSchema(kind))]));

function yamlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name))
    .map((name) => join(dir, name));
}

function roleFiles(rolesDir: string, part: "tasks" | "handlers"): string[] {
  if (!existsSync(rolesDir)) return [];
  return readdirSync(rolesDir).flatMap((role) => yamlFiles(join(rolesDir, role, part)));
}

const project = join(root, "test/fixtures/playbooks/project");
const playbooks = [...yamlFiles(join(root, "playbooks")), ...yamlFiles(join(project, "playbooks")), join(root, "test/fixtures/ping.yaml"),
  ...yamlFiles(join(root, "test/fixtures/report")).filter((file) => !file.endsWith("hosts.yaml"))];
// dynamic.yaml uses a module of the loader tests' fake catalog (raw), which runbook does not have
const taskFiles = [...roleFiles(join(root, "roles"), "tasks"), ...roleFiles(join(project, "roles"), "tasks"), ...yamlFiles(join(project, "playbooks/tasks"))].filter(
  (file) => !file.endsWith("dynamic.yaml"),
);
const handlerFiles = [...roleFiles(join(root, "roles"), "handlers"), ...roleFiles(join(project, "roles"), "handlers")];
const inventories = [...yamlFiles(join(root, "inventory")), join(root, "test/fixtures/inventory/k18s/hosts.yml"), join(root, "test/fixtures/report/hosts.yaml")];

function problems(kind: keyof typeof validators, document: unknown): string[] {
  const validate = validators[kind];
  if (validate === undefined || validate(document)) return [];
  return (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message ?? ""}`);
}

describe("the editor schema accepts every playbook and task file in the repo", () => {
  it("finds files to check", () => {
    expect(playbooks.length).toBeGreaterThan(2);
    expect(taskFiles.length).toBeGreaterThan(3);
  });
  it.each(playbooks.map((file) => [relative(root, file), file]))("playbook %s", (_, file) => {
    expect(problems("playbook", parse(readFileSync(file, "utf8")))).toEqual([]);
  });
  it.each(taskFiles.map((file) => [relative(root, file), file]))("task file %s", (_, file) => {
    expect(problems("tasks", parse(readFileSync(file, "utf8")) ?? [])).toEqual([]);
  });
  it.each(handlerFiles.map((file) => [relative(root, file), file]))("handlers file %s", (_, file) => {
    expect(problems("handlers", parse(readFileSync(file, "utf8")) ?? [])).toEqual([]);
  });
  it.each(inventories.map((file) => [relative(root, file), file]))("inventory %s", (_, file) => {
    expect(problems("inventory", parse(readFileSync(file, "utf8")))).toEqual([]);
  });
});

describe("the editor schema rejects what the loader rejects", () => {
  it.each([
    ["an unknown module", [{ name: "x", copyy: { src: "a", dest: "/b" } }]],
    ["an unknown module argument", [{ copy: { src: "a", dest: "/b", mod: "0644" } }]],
    ["a missing required argument", [{ copy: { src: "a" } }]],
    ["a task without a module", [{ name: "nothing", when: "x" }]],
    ["a wrong enum value", [{ package: { name: "nginx", state: "installed-ish" } }]],
    ["a meta action that does not exist", [{ meta: "restart_play" }]],
  ])("%s", (_, tasks) => {
    expect(problems("tasks", tasks)).not.toEqual([]);
  });

  it.each([
    ["a play without hosts", [{ name: "p", tasks: [] }]],
    ["an unknown play keyword", [{ hosts: "all", taks: [] }]],
    ["a bad strategy", [{ hosts: "all", strategy: "fast" }]],
  ])("%s", (_, playbook) => {
    expect(problems("playbook", playbook)).not.toEqual([]);
  });

  it("accepts templates where a number or boolean goes, free-form strings, aliases and empty modules", () => {
    const tasks = [
      { wait_for: { port: "{{ app_port }}", timeout: 5 } },
      { "ansible.builtin.copy": "src=a dest=/b mode=0644" },
      { apt: { name: ["nginx"], update_cache: "{{ refresh }}" } },
      { ping: null },
      { block: [{ command: "true" }], rescue: [{ debug: { msg: "x" } }], always: [] },
    ];
    expect(problems("tasks", tasks)).toEqual([]);
  });
});

it("has one property per module name and alias", () => {
  const task = (editorSchema("tasks").definitions as Record<string, { properties: Record<string, unknown> }>).task;
  for (const name of modules.keys()) {
    expect(task?.properties).toHaveProperty(name);
    expect(task?.properties).toHaveProperty([moduleFqcn(name) ?? ""]);
  }
  expect(task?.properties).toHaveProperty(["ansible.posix.sysctl"]);
});

// The loader's bad fixtures: those wrong in shape an editor flags too; these need the loader.
const NEEDS_THE_LOADER: Readonly<Record<string, string>> = {
  "freeform-not-key-value": "free-form strings are any string to a schema",
  "freeform-unterminated-quote": "free-form strings are any string to a schema",
  "command-open-quote": "free-form strings are any string to a schema",
  "unknown-freeform-argument": "free-form strings are any string to a schema",
  "missing-argument": "free-form strings are any string to a schema",
  "import-cycle": "needs other files",
  "import-playbook-cycle": "needs other files",
  "import-playbook-missing": "needs other files",
  "import-tasks-missing": "needs other files",
  "include-tasks-missing": "needs other files",
  "vars-files-missing": "needs other files",
  "missing-role": "needs other files",
  "role-cycle": "needs other files",
  "include-tasks-self": "needs other files",
  "import-tasks-templated": "any string is a file name to a schema",
  "vars-files-templated": "any string is a file name to a schema",
  "notify-unknown-handler": "needs the play's handlers",
  "notify-without-handlers": "needs the play's handlers",
  "two-modules": "'exactly one module' is beyond a readable schema",
  "action-and-module": "'exactly one module' is beyond a readable schema",
  "action-unknown-module": "free-form strings are any string to a schema",
  "two-loops": "'at most one loop' is beyond a readable schema",
  "unknown-argument-in-args": "args: is checked after merging with the module's own arguments",
  "yaml-tab": "not YAML",
  "duplicate-key": "YAML parsers keep the last value",
};
const badDir = join(root, "test/fixtures/bad");
const badShapes = readdirSync(badDir).filter((name) => existsSync(join(badDir, name, "playbook.yaml")) && !(name in NEEDS_THE_LOADER));
it.each(badShapes)("rejects the bad fixture %s", (name) => {
  expect(problems("playbook", parse(readFileSync(join(badDir, name, "playbook.yaml"), "utf8")))).not.toEqual([]);
});
