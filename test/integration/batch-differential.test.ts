/**
 * Batching (src/executor/batch-plan.ts) is invisible on real hosts: test/fixtures/batch/play.yaml
 * on 24 light lab hosts with batching on and with RUNBOOK_BATCH=off gives the same per-host,
 * per-task results (status, message, output) and byte-identical trees, for a first run (with
 * failures in the middle of a batch on some hosts), a rerun, --check --diff on a fresh tree,
 * and a first run with --diff. Brings up its own lab and takes it down afterwards.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { labDown, labExec, labUnavailableReason } from "../../src/lab/index.js";
import type { JsonReport } from "../../src/report/json.js";
import type { StressLab } from "../stress/differential.js";
import { freshStressLab } from "../stress/lab.js";
import { dumpTrees, resetTrees } from "../stress/tree.js";
import { REPO, runCli } from "./helpers/engine.js";
import { testLabName } from "./lab-helpers.js";

const LAB = testLabName("batch");
const HOSTS = 24;
const ROOT = "/srv/batch";
const PLAYBOOK = join(REPO, "test", "fixtures", "batch", "play.yaml");

interface Observed {
  readonly code: number;
  /** Each host's results in run order, without timings. */
  readonly results: Record<string, unknown[]>;
  readonly trees: Map<string, string>;
}

async function observe(lab: StressLab, batch: "on" | "off", args: readonly string[]): Promise<Observed> {
  const run = await runCli([PLAYBOOK, "-i", lab.inventoryFile, "--json", "--no-progress", ...args], { env: { RUNBOOK_BATCH: batch } });
  const report = JSON.parse(run.stdout) as JsonReport;
  const results: Record<string, unknown[]> = {};
  for (const { startedAt: _startedAt, durationMs: _durationMs, ...entry } of report.tasks) {
    // a write's temporary file has a random name, also in its error message
    (results[entry.host] ??= []).push(JSON.parse(JSON.stringify(entry).replace(/\.runbook-[0-9a-f]{12}\.tmp/g, ".runbook-TEMP.tmp")));
  }
  return { code: run.code, results, trees: await dumpTrees(lab.name, lab.hosts, ROOT) };
}

/** Removes what the playbook made: its tree, and the user and group. */
async function reset(lab: StressLab): Promise<void> {
  await resetTrees(lab.name, lab.hosts, ROOT);
  await Promise.all(lab.hosts.map((host) => labExec(lab.name, host, ["sh", "-c", "userdel batchusr 2>/dev/null; groupdel batchgrp 2>/dev/null; true"])));
}

async function sequence(lab: StressLab, batch: "on" | "off"): Promise<Record<string, Observed>> {
  await reset(lab);
  const first = await observe(lab, batch, []);
  const rerun = await observe(lab, batch, []);
  await reset(lab);
  const check = await observe(lab, batch, ["--check", "--diff"]);
  await reset(lab);
  const diff = await observe(lab, batch, ["--diff"]);
  return { first, rerun, check, diff };
}

describe.skipIf(labUnavailableReason() !== undefined)(`batching on and off on ${HOSTS} hosts`, () => {
  let lab: StressLab;
  beforeAll(async () => {
    lab = await freshStressLab(LAB, HOSTS);
  }, 600_000);
  afterAll(() => labDown(LAB), 300_000);

  it("gives the same results and trees: first run with failures mid-batch, rerun, --check --diff, --diff", async () => {
    const on = await sequence(lab, "on");
    const off = await sequence(lab, "off");
    for (const phase of Object.keys(on)) {
      const [a, b] = [on[phase] as Observed, off[phase] as Observed];
      expect(a.code, phase).toBe(b.code);
      expect(a.results, phase).toEqual(b.results);
      expect(Object.fromEntries(a.trees), phase).toEqual(Object.fromEntries(b.trees));
    }
    // not vacuous: the failures happened, the others finished and ran the handler
    const first = on["first"] as Observed;
    expect(first.code).toBe(2);
    expect(first.results["h3"]?.some((entry) => (entry as { status: string }).status === "failed")).toBe(true);
    expect(first.trees.get("h1")).toContain(`${ROOT}/a/noted`);
    expect(first.trees.get("h3")).not.toContain(`${ROOT}/a/settings`);
  }, 1_200_000);
});
