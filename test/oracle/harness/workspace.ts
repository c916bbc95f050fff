/**
 * The files one oracle run needs, written once into a work directory: per case its task file
 * and controller files; per session (a tool's first+second run, or its --check run) an
 * inventory whose hosts are the cases (each a local host whose `d` is its own copy of the start
 * tree) and the start trees themselves; one playbook for both tools; the shell script that
 * creates the start accounts.
 */
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import type { OracleCase } from "./case-schema.js";
import { buildTree } from "./tree.js";

export type Tool = "ansible" | "runbook";
export type SessionKind = "run" | "check";

export interface Session {
  readonly tool: Tool;
  readonly kind: SessionKind;
  readonly name: string;
  readonly treesDir: string;
  readonly inventory: string;
}

/** Inventory host name of a case (Ansible host names cannot hold "/"). */
export function hostOf(id: string): string {
  return id.replace("/", "--");
}

export const PLAYBOOK = [
  "- name: oracle",
  "  hosts: all",
  "  gather_facts: false",
  // each host includes its own file: with linear, Ansible would run the includes one after another
  "  strategy: free",
  "  tasks:",
  "    - name: include",
  '      include_tasks: "{{ case_tasks }}"',
  "",
].join("\n");

export function caseTasks(oracleCase: OracleCase): unknown[] {
  const tasks: unknown[] = [{ name: "case", ...oracleCase.task, register: "r" }];
  for (const path of oracleCase.vars) tasks.push({ name: `var ${path}`, debug: { var: path } });
  return tasks;
}

export function writeCaseFiles(work: string, cases: readonly OracleCase[]): void {
  writeFileSync(join(work, "play.yaml"), PLAYBOOK);
  cases.forEach((oracleCase, index) => {
    const dir = join(work, "cases", String(index));
    mkdirSync(join(dir, "files"), { recursive: true });
    writeFileSync(join(dir, "task.yaml"), stringify(caseTasks(oracleCase)));
    for (const [name, content] of Object.entries(oracleCase.files)) {
      const path = join(dir, "files", name);
      if (typeof content === "string") writeFileSync(path, content);
      else if ("base64" in content) writeFileSync(path, Buffer.from(content.base64, "base64"));
      else {
        writeFileSync(path, content.content);
        chmodSync(path, Number.parseInt(content.mode, 8)); // the mode itself, not the umask's
      }
    }
  });
  writeFileSync(join(work, "accounts.sh"), accountScript(cases));
}

/** `only`: the indexes of the cases this tool runs (all by default). */
export function prepareSession(work: string, tool: Tool, kind: SessionKind, cases: readonly OracleCase[], only?: ReadonlySet<number>): Session {
  const name = `${tool}-${kind}`;
  const treesDir = join(work, "trees", name);
  const hosts: Record<string, Record<string, unknown>> = {};
  cases.forEach((oracleCase, index) => {
    if ((kind === "run" && oracleCase.check_only) || (only && !only.has(index))) return;
    const d = join(treesDir, String(index));
    buildTree(d, oracleCase.tree);
    hosts[hostOf(oracleCase.id)] = {
      ansible_connection: "local",
      ansible_python_interpreter: "/usr/bin/python3",
      d,
      c: join(work, "cases", String(index), "files"),
      case_tasks: join(work, "cases", String(index), "task.yaml"),
    };
  });
  const inventory = join(work, `inventory-${name}.yaml`);
  writeFileSync(inventory, stringify({ all: { hosts } }));
  return { tool, kind, name, treesDir, inventory };
}

/** groupadd/useradd lines for every case's start accounts (groups first: users name them). */
function accountScript(cases: readonly OracleCase[]): string {
  const lines = ["set -eu"];
  for (const { groups } of cases) for (const g of groups) lines.push(`groupadd -g ${g.gid} ${g.name}`);
  for (const { users } of cases) {
    for (const u of users) {
      const words = ["useradd", "-u", String(u.uid), u.create_home ? "-m" : "-M"];
      if (u.group) words.push("-g", u.group);
      else words.push("-U");
      if (u.groups?.length) words.push("-G", u.groups.join(","));
      if (u.shell) words.push("-s", u.shell);
      lines.push([...words, u.name].join(" "));
    }
  }
  return `${lines.join("\n")}\n`;
}
