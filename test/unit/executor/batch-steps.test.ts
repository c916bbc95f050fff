/**
 * Batching (executor/batch-plan.ts) is invisible: the same playbook with batching on and off
 * gives the same results, task by task and host by host (status, message, output, diffs,
 * commands), and the same files; with fewer round trips on a first run.
 */
import { lstatSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { ExecutorOptions } from "../../../src/executor/options.js";
import { stepsLength } from "../../../src/executor/batch-apply.js";
import { LocalTransport } from "../../../src/transport/local.js";
import { runFixture, type Run } from "./helpers.js";

/** Every result as the reports see it, host by host in run order, without timings, the per-run root replaced. */
function results(run: Run): Record<string, unknown[]> {
  const byHost: Record<string, unknown[]> = {};
  for (const event of run.events) {
    if (event.type !== "task-result" && event.type !== "item-result") continue;
    const { startedAt: _startedAt, durationMs: _durationMs, ...result } = event.result;
    (byHost[result.host] ??= []).push(JSON.parse(JSON.stringify({ type: event.type, task: event.task.name, ...result }).replaceAll(run.root, "ROOT").replace(/\.runbook-[0-9a-f]{12}\.tmp/g, ".runbook-TEMP.tmp")));
  }
  return byHost;
}

/** Each path under the run's root with its kind, mode and content (or link target). */
function tree(root: string, dir = root): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    const stat = lstatSync(path);
    const mode = (stat.mode & 0o7777).toString(8);
    const relative = path.slice(root.length);
    if (stat.isSymbolicLink()) return [`${relative} -> ${readlinkSync(path).replaceAll(root, "ROOT")}`];
    if (stat.isDirectory()) return [`${relative}/ ${mode}`, ...tree(root, path)];
    return [`${relative} ${mode} ${JSON.stringify(readFileSync(path, "utf8"))}`];
  });
}

async function both(options: Partial<ExecutorOptions>): Promise<{ on: Run; off: Run; onRuns: number; offRuns: number }> {
  const runs = vi.spyOn(LocalTransport.prototype, "run");
  const on = await runFixture("batch-steps.yaml", options);
  const onRuns = runs.mock.calls.length;
  runs.mockClear();
  const off = await runFixture("batch-steps.yaml", { ...options, batch: false });
  return { on, off, onRuns, offRuns: runs.mock.calls.length };
}

describe("steps of consecutive tasks in one script", () => {
  afterEach(() => vi.restoreAllMocks());

  it("a first run gives the same results and files with batching on and off, in fewer round trips", async () => {
    const { on, off, onRuns, offRuns } = await both({});
    expect(results(on)).toEqual(results(off));
    expect(tree(on.root)).toEqual(tree(off.root));
    expect(on.summary.exitCode).toBe(off.summary.exitCode);
    expect(Object.fromEntries(on.summary.stats)).toEqual(Object.fromEntries(off.summary.stats));
    // h2 failed where the write under a file failed: nothing after it ran there
    expect(on.results("lines").has("h2")).toBe(false);
    expect(on.results("under the file on h2 (fails there)").get("h2")?.status).toBe("failed");
    expect(tree(on.root).some((line) => line.startsWith("/h1/a/noted"))).toBe(true);
    expect(onRuns).toBeLessThan(offRuns);
  }, 60_000);

  it("a rerun, --check and --diff give the same results with batching on and off", async () => {
    for (const options of [{ diff: true }, { check: true }, { check: true, diff: true }]) {
      const { on, off } = await both(options);
      expect(results(on), JSON.stringify(options)).toEqual(results(off));
      expect(tree(on.root)).toEqual(tree(off.root));
    }
    const first = await runFixture("batch-steps.yaml");
    const rerunOn = await runFixture("batch-steps.yaml", {}, first.root);
    const rerunOff = await runFixture("batch-steps.yaml", { batch: false }, first.root);
    expect(results(rerunOn)).toEqual(results(rerunOff));
  }, 120_000);

  it("measures a large upload without writing it out, and a fetch as too long for any script", () => {
    const large = stepsLength([{ kind: "put", path: "/big", content: Buffer.alloc(64 * 1024 * 1024) }]);
    expect(large).toBeGreaterThanOrEqual(64 * 1024 * 1024);
    expect(stepsLength([{ kind: "put", path: "/small", content: Buffer.from("-%\\\n") }])).toBeGreaterThan(0);
    expect(stepsLength([{ kind: "fetch", src: "/etc/motd", dest: "/tmp/motd" }])).toBe(Number.POSITIVE_INFINITY);
  });
});
