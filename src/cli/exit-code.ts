/**
 * A run's exit code, as ansible-playbook gives it: 0 ok, 2 a host failed, 3 a host was
 * unreachable (and none failed), 99 interrupted. Decided here, at the CLI's edge; the executor
 * only reports what happened.
 */
import { ExitCode } from "../errors.js";
import type { HostStats } from "../executor/events.js";

export interface RunOutcome {
  readonly stats: ReadonlyMap<string, HostStats>;
  readonly interrupted: boolean;
}

export function runExitCode(run: RunOutcome): number {
  if (run.interrupted) return ExitCode.interrupted;
  const all = [...run.stats.values()];
  if (all.some((host) => host.failed > 0)) return ExitCode.hostFailed;
  if (all.some((host) => host.unreachable > 0)) return ExitCode.hostUnreachable;
  return ExitCode.ok;
}

/** The run's summary with its exit code beside it (for callers of the executor that report one). */
export function withExitCode<T extends RunOutcome>(run: T): T & { readonly exitCode: number } {
  return { ...run, exitCode: runExitCode(run) };
}
