/**
 * `npm run soak -- [--playbooks N] [--hosts H] [--seed S] [--parallel P] [--minutes M] [--issue-runs R] [--lab NAME] [--keep]`
 *
 * The long differential stress test, outside CI (test/stress/): N generated playbooks (seeds S,
 * S+1, ...) on H light lab hosts, each with the executor's read-ahead and probe cache on and off;
 * then issue 11's playbook R times in a row on 20 fresh hosts. With --parallel P, P labs of H
 * hosts (NAME-1 ... NAME-P) each take the next seed, so a busy machine gives the soak more turns;
 * every case still has its lab to itself, so a seed reproduces alone. With --minutes M no new
 * playbook starts after M minutes (the count printed is what ran). Needs root (the lab). Prints every
 * case that differed or had problems (seed, first difference, playbook) as it goes, and ends with
 * `soak: ran N playbooks on H hosts, D differed`, the seeds that differed, and the other problems.
 * Exits 1 when anything differed or went wrong.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { labDown, labUnavailableReason } from "../src/lab/index.js";
import { testLabName } from "../test/integration/lab-helpers.js";
import { formatOutcome, runCase, type CaseOutcome, type StressLab } from "../test/stress/differential.js";
import { generateCase } from "../test/stress/generator.js";
import { freshStressLab } from "../test/stress/lab.js";
import { issue11Run, writeIssue11Playbook } from "../test/stress/issue11.js";

interface SoakOptions {
  readonly playbooks: number;
  readonly hosts: number;
  readonly seed: number;
  readonly parallel: number;
  /** Start no new playbook after this many minutes (0: no limit). */
  readonly minutes: number;
  readonly issueRuns: number;
  readonly lab: string;
  readonly keep: boolean;
}

const log = (line: string): void => void process.stdout.write(`${line}\n`);

function soakOptions(): SoakOptions {
  const { values } = parseArgs({
    // npm run soak -- ARGS hands over a "--" of its own
    args: process.argv.slice(2).filter((arg) => arg !== "--"),
    options: {
      playbooks: { type: "string", default: "200" },
      hosts: { type: "string", default: "30" },
      seed: { type: "string" },
      parallel: { type: "string", default: "1" },
      minutes: { type: "string", default: "0" },
      "issue-runs": { type: "string", default: "20" },
      lab: { type: "string", default: testLabName("soak") },
      keep: { type: "boolean", default: false },
    },
  });
  const number = (name: string, text: string | undefined, min: number): number => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < min) throw new Error(`--${name} expects a whole number >= ${min}, got '${text}'`);
    return value;
  };
  return {
    playbooks: number("playbooks", values.playbooks, 0),
    hosts: number("hosts", values.hosts, 1),
    seed: values.seed === undefined ? Date.now() % 1_000_000 : number("seed", values.seed, 0),
    parallel: number("parallel", values.parallel, 1),
    minutes: number("minutes", values.minutes, 0),
    issueRuns: number("issue-runs", values["issue-runs"], 0),
    lab: values.lab ?? testLabName("soak"),
    keep: values.keep ?? false,
  };
}

/** Differential cases, seed after seed, each lab taking the next; returns the seeds that differed and the problem lines. */
async function differentialSoak(labs: readonly StressLab[], options: SoakOptions): Promise<SoakResult> {
  const workDir = mkdtempSync(join(tmpdir(), "rb-soak-"));
  const differed: number[] = [];
  const problems: string[] = [];
  const inconclusive: number[] = [];
  const stopAt = options.minutes > 0 ? Date.now() + options.minutes * 60_000 : Infinity;
  let next = 0;
  let done = 0;
  const worker = async (lab: StressLab): Promise<void> => {
    while (next < options.playbooks && Date.now() < stopAt) {
      const stressCase = generateCase(options.seed + next++, lab.hosts);
      const outcome = await runCase(lab, stressCase, workDir).catch((error: unknown) => crashed(stressCase.seed, workDir, error));
      if (outcome.difference !== undefined) differed.push(outcome.seed);
      if (outcome.inconclusive !== undefined) inconclusive.push(outcome.seed);
      problems.push(...outcome.problems.map((problem) => `seed ${outcome.seed}: ${problem}`));
      if (outcome.difference !== undefined || outcome.problems.length > 0 || outcome.inconclusive !== undefined) log(`\n${formatOutcome(stressCase, outcome)}\n`);
      const verdict = `${outcome.inconclusive !== undefined ? "inconclusive" : outcome.difference !== undefined ? "DIFFERED" : "same"}${outcome.problems.length > 0 ? `, ${outcome.problems.length} problem(s)` : ""}`;
      log(`[${++done}/${options.playbooks}] seed ${outcome.seed}: ${verdict} (${lab.name})`);
    }
  };
  await Promise.all(labs.map(worker));
  return { ran: done - inconclusive.length, differed: differed.sort((a, b) => a - b), problems, inconclusive: inconclusive.sort((a, b) => a - b) };
}

interface SoakResult {
  /** Playbooks compared (inconclusive ones not counted). */
  readonly ran: number;
  readonly differed: number[];
  readonly problems: string[];
  readonly inconclusive: number[];
}

function crashed(seed: number, dir: string, error: unknown): CaseOutcome {
  return { seed, difference: undefined, problems: [`crashed: ${error instanceof Error ? error.message : String(error)}`], dir, firstRun: { changed: 0, paths: 0 } };
}

async function issue11Soak(lab: StressLab, runs: number): Promise<string[]> {
  const playbook = writeIssue11Playbook();
  const problems: string[] = [];
  for (let run = 1; run <= runs; run++) {
    const found = await issue11Run(lab, playbook, run);
    log(`issue 11 playbook, run ${run}/${runs}: ${found.length === 0 ? "as expected" : `${found.length} problem(s)`}`);
    problems.push(...found);
  }
  return problems;
}

function labNames(options: SoakOptions): string[] {
  if (options.parallel === 1) return [options.lab];
  return Array.from({ length: options.parallel }, (_, index) => `${options.lab}-${index + 1}`);
}

async function main(options: SoakOptions): Promise<number> {
  const reason = labUnavailableReason();
  if (reason !== undefined) throw new Error(`the soak needs lab hosts: ${reason}`);
  const names = labNames(options);
  log(`soak: first seed ${options.seed}, ${options.playbooks} playbooks on ${options.hosts} hosts of lab ${names.join(", ")}`);
  try {
    const labs: StressLab[] = [];
    for (const name of names) labs.push(await freshStressLab(name, options.hosts));
    const { ran, differed, problems, inconclusive } = await differentialSoak(labs, options);
    log(`soak: ran ${ran} playbooks on ${options.hosts} hosts, ${differed.length} differed`);
    if (differed.length > 0) log(`soak: seeds that differed: ${differed.join(" ")}`);
    if (inconclusive.length > 0) log(`soak: not compared (hosts unreachable twice): seeds ${inconclusive.join(" ")}`);
    const issue = options.issueRuns > 0 ? await issue11Soak(await freshStressLab(options.lab, 20), options.issueRuns) : [];
    for (const problem of [...problems, ...issue]) log(`soak problem: ${problem}`);
    log(`soak: ${problems.length} problem(s) in the generated playbooks, ${issue.length} in ${options.issueRuns} runs of issue 11's playbook`);
    return differed.length > 0 || problems.length > 0 || issue.length > 0 ? 1 : 0;
  } finally {
    if (!options.keep) for (const name of new Set([...names, options.lab])) await labDown(name);
  }
}

main(soakOptions()).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`soak: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
