/**
 * Ansible's outcomes, recorded. Real ansible-playbook is the oracle, but it needs ~0.3 s of CPU
 * per case and run (over 10 minutes for the suite on a loaded 2-core machine), so its outcome
 * of each case is kept in test/oracle/ansible-outcomes.json under a hash of the case and of
 * what the harness compares. A case whose hash is not there (new or edited) runs through
 * ansible-playbook live; `main.ts --record` re-records everything.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { OracleCase } from "./case-schema.js";
import type { PhaseOutcome } from "./compare.js";

export const RECORD_FILE = join(import.meta.dirname, "..", "ansible-outcomes.json");

/** Bump when the harness changes what a phase outcome holds, so old records are not trusted. */
const HARNESS_VERSION = 1;

export type CaseOutcomes = Partial<Record<"first" | "second" | "check", PhaseOutcome>>;

export interface Record_ {
  ansible: string;
  cases: Record<string, { hash: string; phases: CaseOutcomes }>;
}

export function caseHash(oracleCase: OracleCase): string {
  return createHash("sha256").update(JSON.stringify({ HARNESS_VERSION, oracleCase })).digest("hex").slice(0, 16);
}

export function readRecord(path: string = RECORD_FILE): Record_ {
  if (!existsSync(path)) return { ansible: "", cases: {} };
  return JSON.parse(readFileSync(path, "utf8")) as Record_;
}

/** The recorded outcomes of a case, if recorded for exactly this case. */
export function recordedOutcomes(record: Record_, oracleCase: OracleCase): CaseOutcomes | undefined {
  const entry = record.cases[oracleCase.id];
  return entry?.hash === caseHash(oracleCase) ? entry.phases : undefined;
}

/** Messages are kept for reading, not compared: their first 300 characters are enough. */
function shortMessages(phases: CaseOutcomes): CaseOutcomes {
  const out: CaseOutcomes = {};
  for (const [phase, outcome] of Object.entries(phases) as [keyof CaseOutcomes, PhaseOutcome][]) {
    out[phase] = { ...outcome, task: { ...outcome.task, msg: outcome.task.msg.slice(0, 300) } };
  }
  return out;
}

export function writeRecord(record: Record_, path: string = RECORD_FILE): void {
  const sorted: Record_["cases"] = {};
  for (const id of Object.keys(record.cases).sort()) {
    const entry = record.cases[id]!;
    sorted[id] = { hash: entry.hash, phases: shortMessages(entry.phases) };
  }
  // one line per case: small, and a re-recorded case shows as one changed line
  const lines = Object.entries(sorted).map(([id, entry]) => `  ${JSON.stringify(id)}: ${JSON.stringify(entry)}`);
  writeFileSync(path, `{\n "ansible": ${JSON.stringify(record.ansible)},\n "cases": {\n${lines.join(",\n")}\n }\n}\n`);
}
