/** Builders for executor events, so report tests read as the run they describe. */
import type { HostStats, TaskRef, TaskResult } from "../../../src/executor/events.js";
import type { ReportEvent } from "../../../src/report/report-event.js";
import { emptyStats } from "../../../src/executor/events.js";
import type { Play } from "../../../src/playbook/model.js";

export function taskRef(overrides: Partial<TaskRef> = {}): TaskRef {
  return { play: "Site", name: "write config", module: "copy", isHandler: false, noLog: false, ...overrides };
}

/** A result; a failed or unreachable one without an `error` gets one from its msg, as the executor builds them. */
export function result(overrides: Partial<TaskResult> & { readonly ignored?: boolean; readonly unknown?: true } = {}): TaskResult {
  return withError({ host: "web1", status: "ok", durationMs: 12, startedAt: 1_700_000_000_000, ...overrides });
}

export function withError(result: Partial<TaskResult> & Pick<TaskResult, "host" | "status" | "durationMs" | "startedAt">): TaskResult {
  const failing = result.status === "failed" || result.status === "unreachable";
  return (failing && !("error" in result) ? { ...result, error: { message: result.msg ?? "" } } : result) as TaskResult;
}

export function taskResult(task: TaskRef, res: TaskResult): ReportEvent {
  return { type: "task-result", task, result: res };
}

export function playStart(name: string, hosts: readonly string[]): ReportEvent {
  // the reports read only the play's name
  return { type: "play-start", play: { name } as Play, hosts };
}

export function stats(entries: Record<string, Partial<HostStats>>): Map<string, HostStats> {
  return new Map(Object.entries(entries).map(([host, counts]) => [host, { ...emptyStats(), ...counts }]));
}

export function runEnd(entries: Record<string, Partial<HostStats>>, exitCode = 0): ReportEvent {
  return { type: "run-end", stats: stats(entries), exitCode, interrupted: false };
}
