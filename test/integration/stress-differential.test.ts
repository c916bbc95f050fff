/**
 * Issue 11's differential stress test, bounded for CI: a few generated playbooks
 * (test/stress/generator.ts) on 30 light lab hosts, each run with the executor's read-ahead and
 * probe cache on and with RUNBOOK_READ_AHEAD=off: a first run, a rerun and --check on a fresh
 * tree must give the same per-host, per-task results and byte-identical trees, the real runs
 * must succeed, and the rerun must change only what always changes. `npm run soak` runs
 * hundreds of seeds; RUNBOOK_STRESS_SEEDS=1,2,3 runs these seeds here instead of the fixed one (one seed in CI keeps CI short; the soak runs hundreds).
 * Brings up its own lab and takes it down afterwards.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { labDown, labUnavailableReason } from "../../src/lab/index.js";
import { formatOutcome, runCase, type StressLab } from "../stress/differential.js";
import { generateCase } from "../stress/generator.js";
import { freshStressLab } from "../stress/lab.js";
import { testLabName } from "./lab-helpers.js";

const LAB = testLabName("stress");
// 30 hosts in CI; RUNBOOK_STRESS_HOSTS=200 runs issue 14's fleet-size check by hand
const HOSTS = Number(process.env["RUNBOOK_STRESS_HOSTS"] ?? "30");
// fixed seeds: CI is reproducible; the soak explores
const SEEDS = (process.env["RUNBOOK_STRESS_SEEDS"] ?? "1").split(",").map(Number);

describe.skipIf(labUnavailableReason() !== undefined)(`differential stress on ${HOSTS} hosts`, () => {
  let lab: StressLab;
  const workDir = mkdtempSync(join(tmpdir(), "rb-stress-"));
  beforeAll(async () => {
    lab = await freshStressLab(LAB, HOSTS);
  }, 600_000);
  afterAll(() => labDown(LAB), 300_000);

  it.each(SEEDS)("seed %i: optimisations on and off give the same results and trees", async (seed) => {
    const stressCase = generateCase(seed, lab.hosts);
    const outcome = await runCase(lab, stressCase, workDir);
    const report = formatOutcome(stressCase, outcome);
    expect(outcome.inconclusive, report).toBeUndefined();
    expect(outcome.difference, report).toBeUndefined();
    expect(outcome.problems, report).toEqual([]);
    // not a vacuous pass: the first run changed hosts and left a tree on them
    expect(outcome.firstRun.changed).toBeGreaterThan(HOSTS);
    expect(outcome.firstRun.paths).toBeGreaterThan(HOSTS * 3);
  }, 900_000);
});
