import { quote } from "./quote.js";
import type { RunOptions } from "./types.js";

/**
 * Wraps a shell command line for `become` (sudo). With a password, sudo reads it from stdin
 * (`-S`, empty prompt) as the first line, so it never appears in argv or logs; the caller sends
 * `stdinPrefix` before the command's own input. cwd/env are applied inside the wrapped shell.
 */
export function becomeCommand(commandLine: string, options: RunOptions): { command: string; stdinPrefix?: string } {
  let inner = commandLine;
  if (options.cwd !== undefined && options.become) inner = `cd ${quote(options.cwd)} && ${inner}`;
  if (!options.become) return { command: inner };
  const password = options.become.password;
  const sudo = `sudo ${password === undefined ? "-n" : "-S -p ''"} -H -u ${quote(options.become.user)} -- sh -c ${quote(inner)}`;
  return password === undefined ? { command: sudo } : { command: sudo, stdinPrefix: `${password}\n` };
}
