/**
 * What the live view knows, folded from executor events: the current play and task, which
 * hosts are still on the task and since when, and the result counts so far. Pure: `now` is
 * passed in, so tests replay recorded events.
 */
import type { TaskStatus } from "../executor/events.js";
import type { ReportEvent } from "./report-event.js";
import { taskTitle } from "./console.js";
import { compareHostNames } from "./recap.js";

export interface ProgressState {
  play: string | undefined;
  task: string | undefined;
  /** Hosts the current task runs on. */
  taskHosts: number;
  /** Hosts done with the current task. */
  taskDone: number;
  /** Host -> when it started the current task (epoch ms), for hosts still on it. */
  running: Map<string, number>;
  counts: Record<TaskStatus, number>;
  tasksStarted: number;
}

export function initialProgress(): ProgressState {
  return {
    play: undefined,
    task: undefined,
    taskHosts: 0,
    taskDone: 0,
    running: new Map(),
    counts: { ok: 0, changed: 0, failed: 0, skipped: 0, unreachable: 0 },
    tasksStarted: 0,
  };
}

export function applyEvent(state: ProgressState, event: ReportEvent, now: number): void {
  switch (event.type) {
    case "play-start":
      state.play = event.play.name;
      state.task = undefined;
      state.taskHosts = 0;
      state.taskDone = 0;
      state.running.clear();
      break;
    case "task-start":
      state.task = `${event.task.isHandler ? "handler " : ""}${taskTitle(event.task)}`;
      state.taskHosts = event.hosts.length;
      state.taskDone = 0;
      state.tasksStarted += 1;
      state.running = new Map(event.hosts.map((host) => [host, now]));
      break;
    case "task-result":
      if (state.running.delete(event.result.host)) state.taskDone += 1;
      state.counts[event.result.status] += 1;
      break;
    default:
      break;
  }
}

/**
 * Hosts still on the current task, longest-running first (then by name, h2 before h10), with
 * their elapsed milliseconds. One pass keeping the `count` slowest: no sort of every running host.
 */
export function slowestRunning(state: ProgressState, now: number, count: number): { host: string; elapsedMs: number }[] {
  const slowest: { host: string; elapsedMs: number }[] = [];
  if (count <= 0) return slowest;
  for (const [host, since] of state.running) {
    const entry = { host, elapsedMs: now - since };
    const last = slowest[slowest.length - 1];
    if (slowest.length === count && last !== undefined && slower(last, entry) <= 0) continue;
    let index = slowest.length;
    while (index > 0 && slower(slowest[index - 1] as typeof entry, entry) > 0) index -= 1;
    slowest.splice(index, 0, entry);
    if (slowest.length > count) slowest.pop();
  }
  return slowest;
}

/** Negative when `a` comes first: the longer-running, then the name in the recap's order. */
function slower(a: { host: string; elapsedMs: number }, b: { host: string; elapsedMs: number }): number {
  return b.elapsedMs - a.elapsedMs || compareHostNames(a.host, b.host);
}
