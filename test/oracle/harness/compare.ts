/** Differences between Ansible's and runbook's outcome of one case, one short line each. */
import { isDeepStrictEqual } from "node:util";
import type { TaskOutcome } from "./results.js";
import type { CaseState } from "./state.js";
import type { TreeSnapshot } from "./tree.js";

export interface PhaseOutcome {
  task: TaskOutcome;
  state: CaseState;
}

function show(value: unknown): string {
  if (value === undefined) return "(none)";
  return JSON.stringify(value);
}

/** A backup's name holds a pid and the time (Ansible's "f.1234.2026-12-03@13:33:53~"). */
function withoutBackupStamps(tree: TreeSnapshot): TreeSnapshot {
  return Object.fromEntries(Object.entries(tree).map(([path, node]) => [path.replace(/\.\d+\.\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d~$/, ".PID.TIME~"), node]));
}

/**
 * Ansible's debug `var:` shows a number as text ("0"), a boolean as a boolean: compare numbers
 * by their text, so that only real differences remain.
 */
function numbersAsText(value: unknown): unknown {
  if (typeof value === "number") return String(value);
  if (Array.isArray(value)) return value.map(numbersAsText);
  return value;
}

function compareTrees(label: string, ansibleTree: TreeSnapshot, runbookTree: TreeSnapshot, out: string[]): void {
  const ansible = withoutBackupStamps(ansibleTree);
  const runbook = withoutBackupStamps(runbookTree);
  const paths = [...new Set([...Object.keys(ansible), ...Object.keys(runbook)])].sort();
  for (const path of paths) {
    const a = ansible[path];
    const r = runbook[path];
    if (isDeepStrictEqual(a, r)) continue;
    if (!a || !r || a.kind !== r.kind) {
      out.push(`${label} ${path}: ansible ${a?.kind ?? "absent"}, runbook ${r?.kind ?? "absent"}`);
      continue;
    }
    const fields = [...new Set([...Object.keys(a), ...Object.keys(r)])].filter((key) => key !== "sha256" || !("text" in a));
    for (const field of fields) {
      const av = (a as Record<string, unknown>)[field];
      const rv = (r as Record<string, unknown>)[field];
      if (!isDeepStrictEqual(av, rv)) out.push(`${label} ${path}: ${field} ansible ${show(av)}, runbook ${show(rv)}`);
    }
  }
}

function compareRecords(label: string, ansible: Record<string, unknown>, runbook: Record<string, unknown>, out: string[]): void {
  for (const key of [...new Set([...Object.keys(ansible), ...Object.keys(runbook)])].sort()) {
    if (!isDeepStrictEqual(ansible[key], runbook[key])) out.push(`${label} ${key}: ansible ${show(ansible[key])}, runbook ${show(runbook[key])}`);
  }
}

export function comparePhase(phase: string, ansible: PhaseOutcome, runbook: PhaseOutcome, withVars: boolean): string[] {
  const out: string[] = [];
  if (ansible.task.status !== runbook.task.status) {
    out.push(`${phase}: status ansible ${ansible.task.status}, runbook ${runbook.task.status}`);
  }
  compareTrees(`${phase}: tree`, ansible.state.tree, runbook.state.tree, out);
  compareRecords(`${phase}: account`, ansible.state.accounts, runbook.state.accounts, out);
  for (const name of [...new Set([...Object.keys(ansible.state.homes), ...Object.keys(runbook.state.homes)])]) {
    compareTrees(`${phase}: home ${name}`, ansible.state.homes[name] ?? {}, runbook.state.homes[name] ?? {}, out);
  }
  compareRecords(`${phase}: sysctl`, ansible.state.sysctl, runbook.state.sysctl, out);
  if (withVars && ansible.task.status !== "failed") {
    const text = (vars: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, numbersAsText(v)]));
    compareRecords(`${phase}: var`, text(ansible.task.vars), text(runbook.task.vars), out);
  }
  return out;
}
