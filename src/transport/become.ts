import { quote } from "./quote.js";
import type { RunOptions } from "./types.js";

/**
 * Wraps a shell command line for `become` (sudo). With a password, sudo reads it from stdin
 * (`-S`, empty prompt) as the first line, so it never appears in argv or logs; the caller sends
 * `stdinPrefix` before the command's own input. cwd/env are applied inside the wrapped shell.
 *
 * The password line must be consumed exactly once, or it becomes the start of the command's
 * input (a `put` would write it into the file). sudo does not read it when it needs no password:
 * a NOPASSWD rule, or credentials cached by an earlier sudo over the same connection (one sshd
 * session process is the parent of every command). So a `sudo -n true` probe decides: when sudo
 * needs no password, the shell reads and drops the line itself; else `sudo -k -S` must ask.
 */
export function becomeCommand(commandLine: string, options: RunOptions): { command: string; stdinPrefix?: string } {
  let inner = commandLine;
  if (options.cwd !== undefined && options.become) inner = `cd ${quote(options.cwd)} && ${inner}`;
  if (!options.become) return { command: inner };
  const user = quote(options.become.user);
  const sudo = (flags: string): string => `sudo ${flags} -H -u ${user} -- sh -c ${quote(inner)}`;
  const password = options.become.password;
  if (password === undefined) return { command: sudo("-n") };
  const command = `if sudo -n -u ${user} true 2>/dev/null; then IFS= read -r _ && exec ${sudo("-n")}; else exec ${sudo("-k -S -p ''")}; fi`;
  return { command, stdinPrefix: `${password}\n` };
}
