/**
 * What a phase left behind for one case, read from the copies the session script made: the
 * case's tree, the home directories, passwd/group/shadow entries and net.* sysctl values of the
 * accounts and keys the case names.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { OracleCase } from "./case-schema.js";
import { readIds, snapshotTree, type TreeSnapshot } from "./tree.js";

export interface CaseState {
  tree: TreeSnapshot;
  accounts: Record<string, string>;
  homes: Record<string, TreeSnapshot>;
  sysctl: Record<string, string>;
}

/** Ids the start state and cases fix are 20000 and up; others were picked by the tool. */
function normalizeId(id: string | undefined): string {
  const n = Number(id);
  if (id === undefined || Number.isNaN(n) || n >= 20000 || n < 100) return id ?? "";
  return n >= 1000 ? "auto" : "auto-system";
}

function accountLine(file: string, fields: string[]): string {
  if (file === "passwd") return [fields[0], normalizeId(fields[2]), normalizeId(fields[3]), ...fields.slice(4)].join(":");
  if (file === "group") return [fields[0], normalizeId(fields[2]), fields[3]].join(":");
  // shadow: the password field's kind (locked "!", none "*", a hash), not the day of last change
  const password = fields[1] ?? "";
  const kind = password.startsWith("$") ? "hash" : password;
  return [fields[0], kind, ...fields.slice(3)].join(":");
}

export function accountNames(oracleCase: OracleCase): string[] {
  const text = JSON.stringify([oracleCase.task, oracleCase.users, oracleCase.groups]);
  return [...new Set(text.match(/\brbo[a-z0-9_-]*/g) ?? [])].sort();
}

function sysctlNames(oracleCase: OracleCase): string[] {
  const args = Object.values(oracleCase.task).find((value) => typeof value === "object" && value !== null && "name" in value) as { name?: unknown } | undefined;
  return typeof args?.name === "string" && /^net\./.test(args.name) ? [args.name] : [];
}

/** Each session has its own copy of a case's directory: its path reads as "{{ d }}" in comparisons. */
export function withoutCaseDir<T>(value: T, caseDir: string): T {
  if (value === undefined) return value;
  return JSON.parse(JSON.stringify(value).replaceAll(caseDir, "{{ d }}")) as T;
}

export function readCaseState(snap: string, index: number, oracleCase: OracleCase, caseDir: string): CaseState {
  const ids = readIds(snap);
  const tree = withoutCaseDir(snapshotTree(join(snap, "trees", String(index)), ids), caseDir);
  const accounts: Record<string, string> = {};
  const homes: Record<string, TreeSnapshot> = {};
  const names = new Set(accountNames(oracleCase));
  for (const file of ["passwd", "group", "shadow"]) {
    for (const line of readFileSync(join(snap, file), "utf8").split("\n")) {
      const fields = line.split(":");
      if (fields[0] && names.has(fields[0])) accounts[`${file}:${fields[0]}`] = accountLine(file, fields).replaceAll(caseDir, "{{ d }}");
    }
  }
  for (const name of names) if (existsSync(join(snap, "home", name))) homes[name] = snapshotTree(join(snap, "home", name), ids);
  const sysctl: Record<string, string> = {};
  if (oracleCase.id.startsWith("sysctl/")) {
    const live = readFileSync(join(snap, "sysctl.txt"), "utf8");
    for (const name of sysctlNames(oracleCase)) sysctl[name] = live.match(new RegExp(`^${name.replaceAll(".", "\\.")} = (.*)$`, "m"))?.[1] ?? "(none)";
  }
  return { tree, accounts, homes, sysctl };
}
