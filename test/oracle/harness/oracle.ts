/**
 * The module oracle: every case through runbook (a first run, a second run on what the first
 * left, and a --check run on a fresh tree) and through real ansible-playbook (live, or its
 * recorded outcome of the same case: see record.ts), compared phase by phase.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { caseFileSchema, type OracleCase } from "./case-schema.js";
import { comparePhase, type PhaseOutcome } from "./compare.js";
import { readRecord, recordedOutcomes, type CaseOutcomes } from "./record.js";
import { readAnsible, readRunbook } from "./results.js";
import { readCaseState, withoutCaseDir } from "./state.js";
import { runSession } from "./tools.js";
import { hostOf, prepareSession, writeCaseFiles, type SessionKind, type Tool } from "./workspace.js";

export const CASES_DIR = join(import.meta.dirname, "..", "cases");

export interface CaseVerdict {
  id: string;
  differences: string[];
}

export function loadCases(dir: string = CASES_DIR): OracleCase[] {
  const cases: OracleCase[] = [];
  for (const file of readdirSync(dir).filter((name) => name.endsWith(".yaml")).sort()) {
    const parsed = caseFileSchema.safeParse(parse(readFileSync(join(dir, file), "utf8")));
    if (!parsed.success) throw new Error(`${file}: ${parsed.error.message}`);
    cases.push(...parsed.data);
  }
  const seen = new Set<string>();
  for (const { id } of cases) {
    if (seen.has(id)) throw new Error(`duplicate oracle case id ${id}`);
    seen.add(id);
  }
  return cases;
}

const PHASES: readonly (readonly ["first" | "second" | "check", SessionKind])[] = [
  ["first", "run"],
  ["second", "run"],
  ["check", "check"],
];

function phasesOf(oracleCase: OracleCase): typeof PHASES {
  return oracleCase.check_only ? PHASES.filter(([phase]) => phase === "check") : PHASES;
}

/** What one tool did to each case of `only`, read from a work directory's reports and copies. */
export function readOutcomes(work: string, tool: Tool, cases: readonly OracleCase[], only: ReadonlySet<number>): Map<string, CaseOutcomes> {
  const read = tool === "ansible" ? readAnsible : readRunbook;
  const reports = new Map(PHASES.map(([phase, session]) => [phase, read(join(work, "out", `${tool}-${session}-${phase}.json`))]));
  const outcomes = new Map<string, CaseOutcomes>();
  cases.forEach((oracleCase, index) => {
    if (!only.has(index)) return;
    const phases: CaseOutcomes = {};
    for (const [phase, session] of phasesOf(oracleCase)) {
      const caseDir = join(work, "trees", `${tool}-${session}`, String(index));
      const task = reports.get(phase)?.get(hostOf(oracleCase.id)) ?? { status: "missing" as const, msg: "", vars: {} };
      const state = readCaseState(join(work, "snap", `${tool}-${session}-${phase}`), index, oracleCase, caseDir);
      phases[phase] = { task: withoutCaseDir(task, caseDir), state };
    }
    outcomes.set(oracleCase.id, phases);
  });
  return outcomes;
}

const MISSING: PhaseOutcome = { task: { status: "missing", msg: "", vars: {} }, state: { tree: {}, accounts: {}, homes: {}, sysctl: {} } };

export function judge(cases: readonly OracleCase[], ansible: ReadonlyMap<string, CaseOutcomes>, runbook: ReadonlyMap<string, CaseOutcomes>): CaseVerdict[] {
  return cases.map((oracleCase) => {
    const differences: string[] = [];
    for (const [phase] of phasesOf(oracleCase)) {
      const a = ansible.get(oracleCase.id)?.[phase] ?? MISSING;
      const r = runbook.get(oracleCase.id)?.[phase] ?? MISSING;
      differences.push(...comparePhase(phase, a, r, phase === "first" || oracleCase.check_only));
    }
    return { id: oracleCase.id, differences };
  });
}

export function ansibleVersion(): string {
  return execFileSync("ansible-playbook", ["--version"], { encoding: "utf8" }).split("\n")[0]?.trim() ?? "";
}

/** Builds a work directory and runs the two tools' sessions side by side (runbook needs little CPU). */
export async function runTools(cases: readonly OracleCase[], tools: ReadonlyMap<Tool, ReadonlySet<number>>): Promise<string> {
  const work = mkdtempSync(join(tmpdir(), "runbook-oracle-"));
  writeFileSync(join(work, "no-ansible.cfg"), "[defaults]\n");
  mkdirSync(join(work, "snap"), { recursive: true });
  writeCaseFiles(work, cases);
  await Promise.all(
    [...tools].map(async ([tool, only]) => {
      if (only.size === 0) return;
      for (const kind of ["run", "check"] as const) await runSession(prepareSession(work, tool, kind, cases, only), work);
    }),
  );
  return work;
}

export interface OracleRun {
  verdicts: CaseVerdict[];
  /** Cases that went through ansible-playbook live (not recorded, or RUNBOOK_ORACLE_LIVE=1). */
  liveAnsible: number;
  work: string;
}

/** Keep the work directory (RUNBOOK_ORACLE_KEEP=1) to look at the reports. */
export async function runOracle(cases: readonly OracleCase[] = loadCases(), options: { live?: boolean } = {}): Promise<OracleRun> {
  const record = readRecord();
  const recorded = new Map<string, CaseOutcomes>();
  const live = new Set<number>();
  cases.forEach((oracleCase, index) => {
    const outcomes = options.live ? undefined : recordedOutcomes(record, oracleCase);
    if (outcomes) recorded.set(oracleCase.id, outcomes);
    else live.add(index);
  });
  const all = new Set(cases.map((_, index) => index));
  const work = await runTools(cases, new Map<Tool, ReadonlySet<number>>([["ansible", live], ["runbook", all]]));
  const ansible = new Map([...recorded, ...(live.size ? readOutcomes(work, "ansible", cases, live) : [])]);
  const verdicts = judge(cases, ansible, readOutcomes(work, "runbook", cases, all));
  if (!process.env.RUNBOOK_ORACLE_KEEP) rmSync(work, { recursive: true, force: true });
  return { verdicts, liveAnsible: live.size, work };
}
