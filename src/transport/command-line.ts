/**
 * Builds the one shell command line a transport sends for `run(argv, options)`: env assignments,
 * working directory and sudo wrapping, all quoted by transport/quote.ts. Shared by ssh and local
 * so both behave the same under `become` (sudo resets the environment, so env must be applied
 * inside the sudo'd shell, not to the process that calls sudo).
 */
import { becomeCommand } from "./become.js";
import { quote, shellJoin } from "./quote.js";
import type { RunOptions } from "./types.js";

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The command line for `argv` plus what must be written to stdin before the caller's own input (the sudo password). */
export function buildCommandLine(argv: readonly string[], options: RunOptions = {}): { command: string; stdinPrefix?: string } {
  let line = withTimeout(shellJoin(withEnv(argv, options.env)), options.timeoutMs);
  // becomeCommand applies cwd itself (inside sudo); without become we do it here.
  if (options.cwd !== undefined && !options.become) line = `cd ${quote(options.cwd)} && ${line}`;
  return becomeCommand(line, options);
}

/**
 * Stops the command on the host itself when its time is up, with `timeout` (coreutils and busybox;
 * GNU timeout signals the whole process group): SIGTERM first so cleanup traps run (put's temp
 * file), SIGKILL 2 s later. Closing the SSH channel does not stop a command, and sshd refuses
 * "signal" requests for root logins (no post-auth privilege separation) and cannot signal a
 * sudo'd command, so the host must do it. Without `timeout` the command runs unguarded and only
 * the caller stops waiting. Whole seconds, rounded up: busybox wants integers.
 */
function withTimeout(line: string, timeoutMs: number | undefined): string {
  if (timeoutMs === undefined) return line;
  const seconds = Math.max(1, Math.ceil(timeoutMs / 1000));
  return `if command -v timeout >/dev/null 2>&1; then timeout -k 2 ${seconds} ${line}; else ${line}; fi`;
}

/**
 * `env K=V argv...`: sshd refuses most `setenv` requests (AcceptEnv), so variables travel in the
 * command line. They are visible in the remote `ps` like any argument: no secrets in env.
 */
function withEnv(argv: readonly string[], env: RunOptions["env"]): readonly string[] {
  if (env === undefined) return argv;
  const entries = Object.entries(env);
  if (entries.length === 0) return argv;
  for (const [name] of entries) {
    if (!ENV_NAME.test(name)) throw new Error(`invalid environment variable name ${JSON.stringify(name)}`);
  }
  return ["env", ...entries.map(([name, value]) => `${name}=${value}`), ...argv];
}
