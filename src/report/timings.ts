/**
 * --timings: Ansible's profile_tasks at the end of a run. A task's time is its wall time across
 * hosts (first start to last finish); a role's is the sum of its tasks'. Slowest first.
 */
import type { ChalkInstance } from "chalk";
import type { ReportListener } from "./report-event.js";
import { taskTitle } from "./console.js";
import { collectRun, type RecordedResult } from "./collect.js";

export interface Timing {
  readonly label: string;
  readonly ms: number;
}

export function timingsReporter(write: (text: string) => void, color: ChalkInstance, limit = 20): ReportListener {
  return collectRun((record) => write(formatTimings(record.results, color, limit)));
}

interface TaskSpan {
  readonly label: string;
  readonly role: string;
  start: number;
  end: number;
}

/** First start and last finish of each task of the run, keyed by play, handler-ness, role and name. */
function taskSpans(results: readonly RecordedResult[]): TaskSpan[] {
  const spans = new Map<string, TaskSpan>();
  for (const { task, result } of results) {
    const key = JSON.stringify([task.play, task.isHandler, task.role ?? null, task.name]);
    const end = result.startedAt + result.durationMs;
    const span = spans.get(key);
    if (span === undefined) {
      const label = `${task.isHandler ? "handler " : ""}${taskTitle(task)}`;
      spans.set(key, { label, role: task.role ?? "(no role)", start: result.startedAt, end });
    } else {
      span.start = Math.min(span.start, result.startedAt);
      span.end = Math.max(span.end, end);
    }
  }
  return [...spans.values()];
}

export function taskTimings(results: readonly RecordedResult[]): Timing[] {
  return bySlowest(taskSpans(results).map(({ label, start, end }) => ({ label, ms: end - start })));
}

export function roleTimings(results: readonly RecordedResult[]): Timing[] {
  const byRole = new Map<string, number>();
  for (const { role, start, end } of taskSpans(results)) byRole.set(role, (byRole.get(role) ?? 0) + end - start);
  return bySlowest([...byRole].map(([label, ms]) => ({ label, ms })));
}

function bySlowest(timings: Timing[]): Timing[] {
  return timings.sort((a, b) => b.ms - a.ms || a.label.localeCompare(b.label));
}

export function formatTimings(results: readonly RecordedResult[], color: ChalkInstance, limit = 20): string {
  const section = (title: string, timings: readonly Timing[]): string[] => {
    const shown = timings.slice(0, limit);
    const width = Math.min(60, Math.max(10, ...shown.map(({ label }) => label.length)));
    const lines = [`\n${title} ${"*".repeat(Math.max(3, 72 - title.length))}`];
    for (const { label, ms } of shown) lines.push(`${label.padEnd(width, " ")} ${"-".repeat(3)} ${color.bold(seconds(ms).padStart(8))}`);
    if (timings.length > shown.length) lines.push(color.dim(`(${timings.length - shown.length} faster not shown)`));
    return lines;
  };
  return `${[...section("TASK TIMINGS", taskTimings(results)), ...section("ROLE TIMINGS", roleTimings(results))].join("\n")}\n`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)}s`;
}
