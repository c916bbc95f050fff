/** Process identity and signalling by pid, safe against pid reuse (start time check). */
import { readFileSync } from "node:fs";
import type { ProcessRef } from "./state.js";

/** Start time of a process (field 22 of /proc/PID/stat), or undefined when it is gone. */
export function startTime(pid: number): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  // comm (field 2) may contain spaces and parentheses: fields after the last ')' are fixed
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const value = Number(fields[19]);
  return Number.isFinite(value) ? value : undefined;
}

export function processRef(pid: number): ProcessRef | undefined {
  const start = startTime(pid);
  return start === undefined ? undefined : { pid, start };
}

export function isAlive(ref: ProcessRef | undefined): boolean {
  if (!ref || ref.pid <= 0) return false;
  if (startTime(ref.pid) !== ref.start) return false;
  try {
    const status = readFileSync(`/proc/${ref.pid}/status`, "utf8");
    return !/^State:\s+Z/m.test(status); // a zombie is as good as dead
  } catch {
    return false;
  }
}

export function signal(ref: ProcessRef, sig: NodeJS.Signals): void {
  if (!isAlive(ref)) return;
  try {
    process.kill(ref.pid, sig);
  } catch {
    // it exited in between
  }
}

/** Children pids of a process (its main thread's). */
export function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * TERM the processes in `term`, wait up to `graceMs` for all of `all` to exit, then KILL the
 * rest and wait for them to go (a killed PID 1 takes its whole PID namespace with it).
 */
export async function stopProcesses(term: readonly ProcessRef[], all: readonly ProcessRef[] = term, graceMs = 5000): Promise<void> {
  const refs = [...term, ...all];
  const living = () => refs.filter(isAlive);
  for (const ref of term) signal(ref, "SIGTERM");
  const deadline = Date.now() + graceMs;
  while (living().length > 0 && Date.now() < deadline) await sleep(50);
  for (const ref of living()) signal(ref, "SIGKILL");
  const killDeadline = Date.now() + 5000;
  while (living().length > 0 && Date.now() < killDeadline) await sleep(20);
}
