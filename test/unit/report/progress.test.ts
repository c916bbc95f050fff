import { Chalk } from "chalk";
import { stripVTControlCharacters } from "node:util";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fit, liveRegion } from "../../../src/report/live-region.js";
import { progressLines, progressReporter } from "../../../src/report/progress.js";
import { applyEvent, initialProgress, slowestRunning } from "../../../src/report/progress-state.js";
import { recordedRun, replay } from "./recorded-run.js";

const plain = new Chalk({ level: 0 });

describe("progress state", () => {
  it("follows the current task, hosts done and counts", () => {
    const state = initialProgress();
    // up to and including the first result of "Restart nginx"
    const until = recordedRun.findIndex((event) => event.type === "task-result" && event.task.name === "Restart nginx");
    recordedRun.slice(0, until + 1).forEach((event, index) => applyEvent(state, event, 1000 + index));
    expect(state.play).toBe("Configure web");
    expect(state.task).toBe("Restart nginx");
    expect(state.taskHosts).toBe(2);
    expect(state.taskDone).toBe(1);
    expect([...state.running.keys()]).toEqual(["web2"]);
    expect(state.counts).toMatchObject({ ok: 3, changed: 2, unreachable: 1, failed: 0 });
    const lines = progressLines(state, 5000, plain);
    expect(lines[0]).toBe("PLAY Configure web  ›  TASK Restart nginx");
    expect(lines[1]).toBe(`[${"#".repeat(15)}${"-".repeat(15)}] 1/2 hosts   ok=3 changed=2 failed=0 unreachable=1 skipped=0`);
    expect(lines[2]).toMatch(/^running: web2 \d+\.\ds$/);
  });

  it("lists the slowest running hosts first", () => {
    const state = initialProgress();
    state.running = new Map([["a", 300], ["b", 100], ["c", 200], ["d", 400]]);
    expect(slowestRunning(state, 1000, 3)).toEqual([
      { host: "b", elapsedMs: 900 },
      { host: "c", elapsedMs: 800 },
      { host: "a", elapsedMs: 700 },
    ]);
  });
});

describe("live region", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("redraws in place at most once per interval, whatever the number of updates", () => {
    const writes: string[] = [];
    const region = liveRegion({ write: (text) => writes.push(text), columns: 80 }, 100);
    for (let i = 0; i < 500; i++) region.update([`line ${i}`, "second"]);
    // the first update draws at once, the rest wait for the tick
    expect(writes.filter((text) => text.includes("line"))).toHaveLength(1);
    vi.advanceTimersByTime(100);
    const frames = writes.filter((text) => text.includes("line"));
    expect(frames).toHaveLength(2);
    // the second frame moves back over the first (2 lines: one up) and clears
    expect(frames[1]).toBe("\r\u001b[2K\u001b[1A\u001b[2Kline 499\nsecond");
    region.finish();
    expect(writes.at(-1)).toBe("\r\u001b[2K\u001b[1A\u001b[2K\u001b[?25h");
  });

  it("prints above the region and redraws it below", () => {
    const writes: string[] = [];
    const region = liveRegion({ write: (text) => writes.push(text), columns: 80 });
    region.update(["bar"]);
    region.print("fatal: [web2]\n");
    expect(writes.at(-1)).toBe("\r\u001b[2Kfatal: [web2]\nbar");
    region.finish();
  });

  it("cuts lines to the terminal width so none wraps", () => {
    expect(fit("x".repeat(100), 10)).toBe(`${"x".repeat(9)}…`);
    expect(fit("\u001b[32mshort\u001b[39m", 10)).toBe("\u001b[32mshort\u001b[39m");
  });
});

describe("progress reporter", () => {
  it("keeps ok lines out of the scrollback and ends with the recap", () => {
    vi.useFakeTimers();
    let screen = "";
    replay(progressReporter({ terminal: { write: (text) => (screen += text), columns: 100 }, color: plain, verbosity: 0, check: true, diff: false }));
    vi.useRealTimers();
    const text = stripVTControlCharacters(screen);
    expect(text).toContain("fatal: [web2]: FAILED!");
    expect(text).toContain("would run: systemctl restart nginx");
    expect(text).not.toContain("ok: [web1]");
    expect(text.trimEnd().endsWith("web3 :  ok=0  changed=0  unreachable=1  failed=0  skipped=0  rescued=0  ignored=0")).toBe(true);
    expect(screen.endsWith("\u001b[?25h") || screen.includes("\u001b[?25h")).toBe(true);
  });
});
