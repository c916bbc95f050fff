/**
 * The live view on a terminal: a few lines redrawn in place (play and task, a bar of hosts
 * done with the task, counts so far, the slowest hosts still running). Everything worth
 * keeping (failures, plans, diffs, warnings, the recap) is printed above it by the console
 * report in `notableOnly` mode, so the scrollback holds the same lines as a plain run minus
 * the ok/skipped noise.
 */
import type { ChalkInstance } from "chalk";
import type { ReportEvent } from "./report-event.js";
import { consoleReporter } from "./console.js";
import { liveRegion, type Terminal } from "./live-region.js";
import { applyEvent, initialProgress, slowestRunning, type ProgressState } from "./progress-state.js";

export interface ProgressOptions {
  readonly terminal: Terminal;
  readonly color: ChalkInstance;
  readonly verbosity: number;
  readonly check: boolean;
  readonly diff: boolean;
  /** Redraw interval; 100 ms is ~10 frames a second. */
  readonly intervalMs?: number | undefined;
  readonly now?: (() => number) | undefined;
  readonly describeConnection?: ((host: string) => string) | undefined;
}

const BAR_WIDTH = 30;
const SLOWEST_SHOWN = 3;

export function progressReporter(options: ProgressOptions): (event: ReportEvent) => void {
  const now = options.now ?? Date.now;
  const region = liveRegion(options.terminal, options.intervalMs);
  const state = initialProgress();
  const print = consoleReporter({ ...options, write: (text) => region.print(text), notableOnly: true });
  // Lines are made when the region draws (at most once per interval), not per event: at 1,000
  // hosts a task brings 1,000 results, and each frame looks at every host still running.
  const lines = (): string[] => progressLines(state, now(), options.color);
  // Elapsed times change without events: keep the clock moving while hosts are busy.
  const ticker = setInterval(() => {
    if (state.running.size > 0) region.update(lines);
  }, 1000);
  ticker.unref();
  return (event) => {
    applyEvent(state, event, now());
    if (event.type === "run-end") {
      clearInterval(ticker);
      region.finish();
      print(event);
      return;
    }
    print(event);
    region.update(lines);
  };
}

/** The region's lines for a state: pure, so tests can look at them directly. */
export function progressLines(state: ProgressState, now: number, color: ChalkInstance): string[] {
  if (state.play === undefined) return [];
  const lines = [color.bold(`PLAY ${state.play}`) + (state.task ? `  ›  TASK ${state.task}` : "")];
  const total = state.taskHosts;
  const filled = total === 0 ? 0 : Math.round((state.taskDone / total) * BAR_WIDTH);
  const bar = `[${"#".repeat(filled)}${"-".repeat(BAR_WIDTH - filled)}]`;
  const { ok, changed, failed, unreachable, skipped } = state.counts;
  lines.push(
    `${bar} ${state.taskDone}/${total} hosts   ` +
      [color.green(`ok=${ok}`), color.yellow(`changed=${changed}`), color.red(`failed=${failed}`), color.red(`unreachable=${unreachable}`), color.cyan(`skipped=${skipped}`)].join(" "),
  );
  const slowest = slowestRunning(state, now, SLOWEST_SHOWN);
  if (slowest.length > 0) {
    const more = state.running.size - slowest.length;
    lines.push(color.dim(`running: ${slowest.map(({ host, elapsedMs }) => `${host} ${(elapsedMs / 1000).toFixed(1)}s`).join(", ")}${more > 0 ? ` (+${more} more)` : ""}`));
  }
  return lines;
}
