/**
 * The exit code for an error: the one ansible-playbook gives for the same mistake, recorded by
 * running it (scripts/ansible-exit-codes.mjs -> test/fixtures/ansible-exit-codes.json, compared
 * in test/unit/cli/exit-codes.test.ts). Where Ansible accepts a mistake (exit 0, a warning) or
 * crashes on it (250, or recursion that never ends), runbook stops with a located parse error (4).
 */
import { ExitCode, RunbookError, type ErrorKind } from "../errors.js";

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
