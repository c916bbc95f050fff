/**
 * The differential stress test's driver: runs one generated case on a lab's hosts with the
 * executor's read-ahead and probe cache on, then again with them off (RUNBOOK_READ_AHEAD=off),
 * and compares the two: per-host, per-task results (status and message) and byte-exact tree
 * dumps after a first run, a rerun, and --check on a fresh tree. The tree is removed between.
 *
 * Besides differences it reports problems both settings may share: a real run that fails, a
 * rerun that changes a task the generator did not mark as one that may, and a --check that
 * leaves anything behind.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { JsonReport } from "../../src/report/json.js";
import { runCli } from "../integration/helpers/engine.js";
import { firstFailure, firstItemDifference, firstResultDifference, firstTreeDifference, itemResultsByHost, unexpectedChanges } from "./compare.js";
import type { StressCase } from "./generator.js";
import { dumpTrees, resetTrees } from "./tree.js";

export interface StressLab {
  readonly name: string;
  readonly inventoryFile: string;
  readonly hosts: readonly string[];
}

export interface CaseOutcome {
  readonly seed: number;
  /** The first difference between read-ahead on and off, when there is one. */
  readonly difference?: string | undefined;
  /** What is wrong even where both settings agree. */
  readonly problems: readonly string[];
  /** Where the case's files are (kept when it differed or had problems). */
  readonly dir: string;
  /** Set when hosts were unreachable (twice): then nothing was compared. */
  readonly inconclusive?: string | undefined;
  /** What the first run (read-ahead on) did, so a test can tell it was not empty. */
  readonly firstRun: { readonly changed: number; readonly paths: number };
}

interface Observed {
  readonly report: JsonReport;
  /** Loop item results by host, from the console report. */
  readonly items: Map<string, string[]>;
  readonly trees: Map<string, string>;
}

/** The three runs of one setting, in the order they happen. */
type Observations = Record<"first run" | "rerun" | "check on a fresh tree", Observed>;

const SETTINGS = [
  { label: "optimisations on", env: {} },
  { label: "optimisations off", env: { RUNBOOK_READ_AHEAD: "off", RUNBOOK_HOSTVARS_CACHE: "off", RUNBOOK_VALIDATION_CACHE: "off", RUNBOOK_PROBE_BATCH: "off", RUNBOOK_PROBE_GROUPS: "off", RUNBOOK_PROBE_NSS: "off", RUNBOOK_FACTS_INLINE: "off", RUNBOOK_PROBE_READS: "off", RUNBOOK_PROBE_STAT_LINKS: "off", RUNBOOK_FACTS_BUILTINS: "off", RUNBOOK_FACTS_FILES: "off", RUNBOOK_FACTS_ONE_IP: "off", RUNBOOK_EVENT_LOOP_YIELD: "off", RUNBOOK_SSH_HANDSHAKES: "off", RUNBOOK_BATCH: "off", RUNBOOK_PREPARE_MEMO: "off" } },
] as const;

/**
 * Runs the case; a run where a host was unreachable (an ssh handshake that timed out on a
 * crowded machine) says nothing about the cache, so the case is run once more, and when a host is
 * unreachable again the outcome is inconclusive rather than a difference.
 */
export async function runCase(lab: StressLab, stressCase: StressCase, workDir: string): Promise<CaseOutcome> {
  const dir = writeCase(stressCase, join(workDir, `seed-${stressCase.seed}`));
  let unreachable: string | undefined;
  for (let attempt = 0; attempt < 2; attempt++) {
    const on = await observeSetting(lab, stressCase, dir, SETTINGS[0].env);
    const off = await observeSetting(lab, stressCase, dir, SETTINGS[1].env);
    unreachable = firstUnreachable(on, off);
    if (unreachable === undefined) return judgeCase(stressCase, dir, on, off);
  }
  return { seed: stressCase.seed, problems: [], dir, firstRun: { changed: 0, paths: 0 }, inconclusive: `twice a host was unreachable, last: ${unreachable}` };
}

function firstUnreachable(...settings: Observations[]): string | undefined {
  for (const seen of settings) {
    for (const [run, observed] of Object.entries(seen)) {
      const entry = observed.report.tasks.find((task) => task.status === "unreachable");
      if (entry) return `${run}: ${entry.host}: ${entry.msg ?? ""}`;
    }
  }
  return undefined;
}

function judgeCase(stressCase: StressCase, dir: string, on: Observations, off: Observations): CaseOutcome {
  const difference = firstDifference(on, off);
  const problems = [...problemsOf(stressCase, on, SETTINGS[0].label), ...problemsOf(stressCase, off, SETTINGS[1].label)];
  if (difference === undefined && problems.length === 0) rmSync(dir, { recursive: true, force: true });
  const changed = on["first run"].report.tasks.filter((entry) => entry.status === "changed").length;
  const paths = [...on["first run"].trees.values()].reduce((sum, tree) => sum + (tree === "" ? 0 : tree.split("\n").length), 0);
  return { seed: stressCase.seed, difference, problems, dir, firstRun: { changed, paths } };
}

function writeCase(stressCase: StressCase, dir: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "play.yaml"), stressCase.playbook);
  writeFileSync(join(dir, "vars.yaml"), stressCase.inventory);
  for (const [name, text] of Object.entries(stressCase.files)) writeFileSync(join(dir, name), text);
  return dir;
}

async function observeSetting(lab: StressLab, stressCase: StressCase, dir: string, env: Record<string, string>): Promise<Observations> {
  const { root } = stressCase;
  await resetTrees(lab.name, lab.hosts, root);
  const first = await observe(lab, dir, root, env, []);
  const rerun = await observe(lab, dir, root, env, []);
  await resetTrees(lab.name, lab.hosts, root);
  const check = await observe(lab, dir, root, env, ["--check"]);
  return { "first run": first, rerun, "check on a fresh tree": check };
}

async function observe(lab: StressLab, dir: string, root: string, env: Record<string, string>, args: readonly string[]): Promise<Observed> {
  const result = await runCli([join(dir, "play.yaml"), "-i", lab.inventoryFile, "-i", join(dir, "vars.yaml"), "--json", "--no-progress", ...args], { env, cwd: dir });
  let report: JsonReport;
  try {
    report = JSON.parse(result.stdout) as JsonReport;
  } catch {
    throw new Error(`runbook exited ${result.code} without one JSON document on stdout:\n${result.stdout.slice(-2000)}\n--- stderr:\n${result.stderr.slice(-4000)}`);
  }
  return { report, items: itemResultsByHost(result.stderr), trees: await dumpTrees(lab.name, lab.hosts, root) };
}

function firstDifference(on: Observations, off: Observations): string | undefined {
  const labels = [SETTINGS[0].label, SETTINGS[1].label] as const;
  for (const run of Object.keys(on) as (keyof Observations)[]) {
    const results = firstResultDifference(on[run].report, off[run].report, labels);
    if (results !== undefined) return `${run}, results: ${results}`;
    const items = firstItemDifference(on[run].items, off[run].items, labels);
    if (items !== undefined) return `${run}, loop items: ${items}`;
    const trees = firstTreeDifference(on[run].trees, off[run].trees, labels);
    if (trees !== undefined) return `${run}, tree after it: ${trees}`;
  }
  return undefined;
}

function problemsOf(stressCase: StressCase, seen: Observations, label: string): string[] {
  const problems: string[] = [];
  for (const run of ["first run", "rerun"] as const) {
    const failure = firstFailure(seen[run].report);
    if (seen[run].report.exitCode !== 0 || failure) problems.push(`${label}, ${run} exited ${seen[run].report.exitCode}: ${failure ?? "no failed task"}`);
  }
  const changed = unexpectedChanges(seen["rerun"].report, new Set(stressCase.mayChangeOnRerun));
  if (changed.length > 0) problems.push(`${label}, rerun changed ${changed.length} result(s) it should not have, first: ${changed.slice(0, 3).join("; ")}`);
  const leftBehind = [...seen["check on a fresh tree"].trees].find(([, tree]) => tree !== "");
  if (leftBehind) problems.push(`${label}, --check on a fresh tree left ${leftBehind[1].split("\n")[0]} on ${leftBehind[0]}`);
  return problems;
}

/** What to print for a case that differed or had problems: the seed, the first difference, the problems and the playbook. */
export function formatOutcome(stressCase: StressCase, outcome: CaseOutcome): string {
  const lines = [
    `seed ${outcome.seed} (files kept in ${outcome.dir})`,
    `reproduce: npm run soak -- --seed ${outcome.seed} --playbooks 1 --issue-runs 0`,
  ];
  if (outcome.inconclusive !== undefined) lines.push(`inconclusive: ${outcome.inconclusive}`);
  if (outcome.difference !== undefined) lines.push(`first difference: ${outcome.difference}`);
  for (const problem of outcome.problems) lines.push(`problem: ${problem}`);
  lines.push("--- playbook:", stressCase.playbook.trimEnd());
  return lines.join("\n");
}
