/** The task results of a run, gathered from events for the reports written at its end. */
import type { HostStats, TaskRef, TaskResult } from "../executor/events.js";
import type { ReportListener, ReportEvent } from "./report-event.js";

export interface RecordedResult {
  readonly task: TaskRef;
  readonly result: TaskResult;
}

export interface RunRecord {
  readonly results: readonly RecordedResult[];
  readonly stats: ReadonlyMap<string, HostStats>;
  readonly exitCode: number;
  readonly interrupted: boolean;
}

/** Calls `done` once, at run-end, with everything the run reported. */
export function collectRun(done: (record: RunRecord) => void): ReportListener {
  const results: RecordedResult[] = [];
  return (event: ReportEvent) => {
    if (event.type === "task-result") results.push({ task: event.task, result: event.result });
    else if (event.type === "run-end") done({ results, stats: event.stats, exitCode: event.exitCode, interrupted: event.interrupted });
  };
}

/** What a report may show of a result's message: nothing of a no_log task. */
export function visibleMessage(recorded: RecordedResult): string | undefined {
  if (recorded.result.msg === undefined) return undefined;
  return recorded.task.noLog ? "(hidden: no_log)" : recorded.result.msg;
}
