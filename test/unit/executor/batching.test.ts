import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { LocalTransport } from "../../../src/transport/local.js";
import { runFixture } from "./helpers.js";

const changedByHost = (run: Awaited<ReturnType<typeof runFixture>>): Record<string, number> =>
  Object.fromEntries([...run.summary.stats].map(([host, stats]) => [host, stats.changed]));

describe("probes read ahead across tasks", () => {
  afterEach(() => vi.restoreAllMocks());

  it("a change is seen by the tasks after it, and register-dependent arguments are read fresh", async () => {
    const first = await runFixture("batched.yaml");
    expect(first.summary.exitCode).toBe(0);
    for (const host of ["h1", "h2"]) {
      const dir = join(first.root, host, "b");
      expect(existsSync(join(dir, "marker"))).toBe(true);
      // "after marker" was read ahead before the marker existed; the change made it read again
      // the file name is rendered from a registered boolean: Jinja2 prints Python's True, as Ansible does
      expect(existsSync(join(dir, "second"))).toBe(false);
      expect(readdirSync(dir).filter((name) => name.startsWith("exists-"))).toEqual(["exists-True"]);
    }
    expect(changedByHost(first)).toEqual({ h1: 5, h2: 5 });
  });

  it("a rerun that changes nothing asks each host twice: one batch, then the task that needed a register", async () => {
    const first = await runFixture("batched.yaml");
    const runs = vi.spyOn(LocalTransport.prototype, "run");
    const second = await runFixture("batched.yaml", {}, first.root);
    expect(second.summary.exitCode).toBe(0);
    expect(changedByHost(second)).toEqual({ h1: 0, h2: 0 });
    expect(runs).toHaveBeenCalledTimes(4);
  });

  it("check mode on new hosts reads each host the same two times and changes nothing", async () => {
    const runs = vi.spyOn(LocalTransport.prototype, "run");
    const check = await runFixture("batched.yaml", { check: true });
    expect(check.summary.exitCode).toBe(0);
    expect(existsSync(join(check.root, "h1"))).toBe(false);
    expect(runs).toHaveBeenCalledTimes(4);
  });

  it("with facts, a rerun asks each host once: the fact script carries the probes", async () => {
    const first = await runFixture("batched-facts.yaml");
    expect(first.summary.exitCode).toBe(0);
    const runs = vi.spyOn(LocalTransport.prototype, "run");
    const second = await runFixture("batched-facts.yaml", {}, first.root);
    expect(changedByHost(second)).toEqual({ h1: 0, h2: 0 });
    expect(runs).toHaveBeenCalledTimes(2);
  });

  it("reads ahead through blocks, loop items, post_tasks and later plays: a rerun reads each host once", async () => {
    const first = await runFixture("batched-plays.yaml");
    expect(first.summary.exitCode).toBe(0);
    const runs = vi.spyOn(LocalTransport.prototype, "run");
    const second = await runFixture("batched-plays.yaml", {}, first.root);
    expect(changedByHost(second)).toEqual({ h1: 0, h2: 0, h3: 0 });
    // one fact script per host, carrying every probe of every play it is in
    expect(runs).toHaveBeenCalledTimes(3);
  });

  it("a change part-way drops what was read ahead: the tasks after it read the host again", async () => {
    const first = await runFixture("batched-plays.yaml");
    rmSync(join(first.root, "h1", "p", "two"));
    const runs = vi.spyOn(LocalTransport.prototype, "run");
    const second = await runFixture("batched-plays.yaml", {}, first.root);
    expect(changedByHost(second)).toEqual({ h1: 1, h2: 0, h3: 0 });
    expect(readFileSync(join(first.root, "h1", "p", "two"), "utf8")).toBe("two\n");
    // h1: facts, then the copy's steps with the read of what follows riding along (batch-plan.ts);
    // h2 and h3: facts only. RUNBOOK_BATCH=off: the read after the copy is a round trip of its own.
    const h1Reads = runs.mock.contexts.filter((transport) => (transport as LocalTransport).host === "h1").length;
    expect(runs.mock.calls.length - h1Reads).toBe(2);
    expect(h1Reads).toBe(2);
  });

  it("after a change, reads ahead nothing: on a first run a later task's file is not read again and again", async () => {
    const runs = vi.spyOn(LocalTransport.prototype, "run");
    const first = await runFixture("batched-plays.yaml");
    expect(first.summary.exitCode).toBe(0);
    const later = join(first.root, "h1", "p", "later");
    const mentions = runs.mock.calls.filter((call) => (call[0] as readonly string[]).join(" ").includes(later)).length;
    // read with the facts; after the last loop item's steps (a batch reads a few tasks past
    // itself); read ahead once more after set_fact (which changes nothing); written. Reading
    // ahead after every change: 9.
    expect(mentions).toBe(5);
  });

  it("reading ahead into a play that matches no host warns once, when that play starts", async () => {
    const run = await runFixture("batched-nomatch.yaml");
    expect(run.summary.exitCode).toBe(0);
    const warnings = run.events.filter((event) => event.type === "warning" && event.message.includes("nosuchgroup"));
    expect(warnings).toHaveLength(1);
  });
});
