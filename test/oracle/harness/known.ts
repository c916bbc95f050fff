/**
 * test/oracle/known-differences.yaml: the cases where runbook is known to disagree with
 * ansible-playbook, each a bug to fix or a deliberate choice (documented, with its reason, in
 * docs/ansible-differences.md). The list may only shrink: a listed case that agrees fails the
 * test until its entry is removed.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { z } from "zod";
import type { CaseVerdict } from "./oracle.js";

const ORACLE_DIR = join(import.meta.dirname, "..");

const knownSchema = z.record(
  z.string(),
  z.strictObject({
    kind: z.enum(["bug", "choice"]),
    /** What differs, in a few words (the test prints the full list of differences). */
    differs: z.string().min(1),
    /** Why, from runbook's source: what to change to fix it, or the reason for the choice. */
    cause: z.string().min(1),
  }),
);

export type KnownDifferences = z.infer<typeof knownSchema>;

export function loadKnownDifferences(path: string = join(ORACLE_DIR, "known-differences.yaml")): KnownDifferences {
  return knownSchema.parse(parse(readFileSync(path, "utf8")) ?? {});
}

export interface Judgement {
  agreeing: number;
  total: number;
  /** Disagreements not in the list: new bugs (or a case to list). */
  unexpected: CaseVerdict[];
  /** Listed, but the tools now agree: remove the entry. */
  fixed: string[];
  /** Listed ids that are no case at all. */
  stale: string[];
}

export function judgeAgainstKnown(verdicts: readonly CaseVerdict[], known: KnownDifferences): Judgement {
  const ids = new Set(verdicts.map(({ id }) => id));
  return {
    agreeing: verdicts.filter(({ differences }) => differences.length === 0).length,
    total: verdicts.length,
    unexpected: verdicts.filter(({ id, differences }) => differences.length > 0 && !(id in known)),
    fixed: verdicts.filter(({ id, differences }) => differences.length === 0 && id in known).map(({ id }) => id),
    stale: Object.keys(known).filter((id) => !ids.has(id)),
  };
}
