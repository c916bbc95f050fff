/** Builders for executor events, so report tests read as the run they describe. */
import type { HostStats, RunEvent, TaskRef, TaskResult } from "../../../src/executor/events.js";
import { emptyStats } from "../../../src/executor/events.js";
import type { Play } from "../../../src/playbook/model.js";

export function taskRef(overrides: Partial<TaskRef> = {}): TaskRef {
  return { play: "Site", name: "write config", module: "copy", isHandler: false, noLog: false, ...overrides };
}

export function result(overrides: Partial<TaskResult> = {}): TaskResult {
  return { host: "web1", status: "ok", durationMs: 12, startedAt: 1_700_000_000_000, ...overrides };
}

export function taskResult(task: TaskRef, res: TaskResult): RunEvent {
  return { type: "task-result", task, result: res };
}

export function playStart(name: string, hosts: readonly string[]): RunEvent {
  // the reports read only the play's name
  return { type: "play-start", play: { name } as Play, hosts };
}

export function stats(entries: Record<string, Partial<HostStats>>): Map<string, HostStats> {
  return new Map(Object.entries(entries).map(([host, counts]) => [host, { ...emptyStats(), ...counts }]));
}

export function runEnd(entries: Record<string, Partial<HostStats>>, exitCode = 0): RunEvent {
  return { type: "run-end", stats: stats(entries), exitCode, interrupted: false };
}
