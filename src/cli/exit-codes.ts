/**
 * The exit code for an error: the one ansible-playbook gives for the same mistake, recorded by
 * running it (scripts/ansible-exit-codes.mjs -> test/fixtures/ansible-exit-codes.json, compared
 * in test/unit/cli/exit-codes.test.ts). Where Ansible accepts a mistake (exit 0, a warning) or
 * crashes on it (250, or recursion that never ends), runbook stops with a located parse error (4).
 *
 * And a run's exit code, as ansible-playbook gives it: 0 ok, 2 a host failed, 3 a host was
 * unreachable (and none failed), 99 interrupted. Both are decided here, at the CLI's edge; the
 * executor only reports what happened.
 */
import { ExitCode, RunbookError, type ErrorKind } from "../errors.js";
import type { HostStats } from "../executor/events.js";

const CODES: Readonly<Record<ErrorKind, number>> = {
  parse: ExitCode.parseError, // Ansible's parser errors: 4
  play: ExitCode.error, // Ansible's errors while building the play (role or file not found): 1
  task: ExitCode.hostFailed, // Ansible fails the task on its hosts: 2
  usage: ExitCode.hostFailed, // Ansible's argparse exits 2 for command-line syntax
  options: ExitCode.badOptions,
  runtime: ExitCode.error,
};

export function exitCodeFor(error: unknown): number {
  return error instanceof RunbookError ? CODES[error.kind] : ExitCode.error;
}

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
