/**
 * --json: exactly one JSON document on stdout at the end of the run:
 * {exitCode, interrupted, hosts: {NAME: {ok, changed, failed, skipped, unreachable, rescued, ignored}},
 * tasks: [{host, play, role, task, module, status, startedAt, durationMs, msg?, commands?, diff?, ignored?, unknown?, error?}]},
 * `error` (failed, unreachable): {message, location?: {file, line, column}, hint?, rc?, stderr?};
 * `unknown`: check mode could not foresee the change's result.
 * tasks in the order their results came; startedAt is epoch milliseconds (orders hosts in time).
 */
import type { FileDiff } from "../modules/types.js";
import { isIgnored, type TaskError } from "../executor/events.js";
import type { ReportEvent } from "./report-event.js";
import { recapOrder } from "./recap.js";

export interface JsonTask {
  host: string;
  play: string;
  role: string | null;
  task: string;
  module: string;
  status: string;
  startedAt: number;
  durationMs: number;
  msg?: string;
  commands?: readonly string[];
  diff?: readonly FileDiff[];
  ignored?: boolean;
  unknown?: boolean;
  error?: TaskError;
}

export interface JsonReport {
  exitCode: number;
  interrupted: boolean;
  hosts: Record<string, { ok: number; changed: number; failed: number; skipped: number; unreachable: number; rescued: number; ignored: number }>;
  tasks: JsonTask[];
}

export function jsonReporter(write: (text: string) => void): (event: ReportEvent) => void {
  const tasks: JsonTask[] = [];
  return (event) => {
    if (event.type === "task-result") {
      const { task, result } = event;
      const entry: JsonTask = {
        host: result.host,
        play: task.play,
        role: task.role ?? null,
        task: task.name,
        module: task.module,
        status: result.status,
        startedAt: result.startedAt,
        durationMs: result.durationMs,
      };
      if (result.msg !== undefined) entry.msg = task.noLog ? "(hidden: no_log)" : result.msg;
      if (!task.noLog && result.commands?.length) entry.commands = result.commands;
      if (!task.noLog && task.diff !== false && result.diffs?.length) entry.diff = result.diffs;
      if (isIgnored(result)) entry.ignored = true;
      if (result.status === "changed" && result.unknown === true) entry.unknown = true;
      if (result.status === "failed" || result.status === "unreachable") entry.error = task.noLog ? { message: "(hidden: no_log)" } : result.error;
      tasks.push(entry);
    } else if (event.type === "run-end") {
      const report: JsonReport = { exitCode: event.exitCode, interrupted: event.interrupted, hosts: {}, tasks };
      for (const host of recapOrder(event.stats.keys())) report.hosts[host] = { ...event.stats.get(host)! };
      write(`${JSON.stringify(report, null, 2)}\n`);
    }
  };
}
