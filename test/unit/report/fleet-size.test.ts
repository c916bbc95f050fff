/** The reports' per-event paths at fleet size give what the straightforward versions gave. */
import { Chalk } from "chalk";
import { describe, expect, it } from "vitest";
import { liveRegion } from "../../../src/report/live-region.js";
import { MASK, maskedWriter, maskSecrets } from "../../../src/report/mask.js";
import { progressReporter } from "../../../src/report/progress.js";
import { initialProgress, slowestRunning } from "../../../src/report/progress-state.js";
import { compareHostNames, recapOrder } from "../../../src/report/recap.js";
import type { ReportEvent } from "../../../src/report/report-event.js";

/** A small seeded generator: the same cases on every run. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

/** What slowestRunning returned before: sort every running host, keep the first `count`. */
function bySorting(running: Map<string, number>, now: number, count: number): { host: string; elapsedMs: number }[] {
  return [...running]
    .map(([host, since]) => ({ host, elapsedMs: now - since }))
    .sort((a, b) => b.elapsedMs - a.elapsedMs || a.host.localeCompare(b.host, undefined, { numeric: true }))
    .slice(0, count);
}

describe("the live view at fleet size", () => {
  it("keeps the slowest hosts as a full sort would, ties by name in the recap's order", () => {
    const next = random(7);
    for (let round = 0; round < 200; round++) {
      const state = initialProgress();
      const hosts = 1 + Math.floor(next() * 60);
      // few distinct start times, so ties (broken by name) are common
      for (let i = 0; i < hosts; i++) state.running.set(`web${Math.floor(next() * 120)}.dc${Math.floor(next() * 3)}`, 1000 + Math.floor(next() * 4) * 10);
      const count = Math.floor(next() * 5);
      expect(slowestRunning(state, 5000, count)).toEqual(bySorting(state.running, 5000, count));
    }
  });

  it("orders names with the shared collator as localeCompare with numeric did", () => {
    const names = ["h10", "h2", "h1", "web-10.a", "web-9.a", "H3", "h02", "é1", "e1"];
    expect(recapOrder(names)).toEqual([...names].sort((a, b) => a.localeCompare(b, undefined, { numeric: true })));
    expect(compareHostNames("h2", "h10")).toBeLessThan(0);
  });

  it("makes the region's lines when it draws, not for every event", () => {
    let made = 0;
    const writes: string[] = [];
    const region = liveRegion({ write: (text) => writes.push(text), columns: 80 }, 100_000);
    for (let i = 0; i < 1000; i++) {
      region.update(() => {
        made += 1;
        return [`frame ${i}`];
      });
    }
    // the first update draws at once; the other 999 wait for the next tick, which has not come
    expect(made).toBe(1);
    expect(writes.join("")).toContain("frame 0");
    region.finish();
  });

  it("shows the same lines after 1,000 results as before", () => {
    const hosts = Array.from({ length: 1000 }, (_, i) => `h${i + 1}`);
    let screen = "";
    const clock = { now: 0 };
    const report = progressReporter({
      terminal: { write: (text) => (screen += text), columns: 200 },
      color: new Chalk({ level: 0 }),
      verbosity: 0,
      check: false,
      diff: false,
      now: () => clock.now,
      intervalMs: 100_000,
    });
    const task = { play: "p", name: "t", module: "ping", isHandler: false, noLog: false };
    const events: ReportEvent[] = [
      { type: "play-start", play: { name: "p" } as never, hosts },
      { type: "task-start", task, hosts },
      ...hosts.slice(0, 998).map((host): ReportEvent => ({ type: "task-result", task, result: { status: "ok", host, startedAt: 0, durationMs: 1 } })),
    ];
    for (const event of events) report(event);
    clock.now = 2500;
    // a notable line is printed above the region, which is then drawn from the current state
    report({ type: "warning", message: "look" });
    expect(screen).toContain("[WARNING]: look");
    expect(screen).toMatch(/998\/1000 hosts {3}ok=998 changed=0 failed=0 unreachable=0 skipped=0\nrunning: h999 2\.5s, h1000 2\.5s$/);
    report({ type: "run-end", stats: new Map(), interrupted: false, exitCode: 0 });
  });
});

describe("masking, worked out once per set of secrets", () => {
  it("masks as maskSecrets does, and follows the set when it changes", () => {
    const out: string[] = [];
    const secrets = new Set(["abc", 'q"uote']);
    const write = maskedWriter((text) => out.push(text), secrets);
    const line = `abcdef abc ${JSON.stringify('q"uote')} x`;
    write(line);
    expect(out.at(-1)).toBe(maskSecrets(line, secrets));
    secrets.add("abcdef");
    write(line);
    expect(out.at(-1)).toBe(`${MASK} ${MASK} "${MASK}" x`);
    // same size, other members: still the current set
    secrets.delete("abc");
    secrets.add("xyz");
    write("abc xyz");
    expect(out.at(-1)).toBe(`abc ${MASK}`);
    secrets.delete("xyz");
    secrets.add("abc");
    write("abc xyz");
    expect(out.at(-1)).toBe(`${MASK} xyz`);
  });
});
