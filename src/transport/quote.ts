/**
 * The one quoting function. Every remote command is an argument array; it becomes a POSIX
 * shell string only here, by single-quoting each argument. Never paste strings into a shell.
 */

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** Quotes one argument for a POSIX shell. */
export function quote(argument: string): string {
  if (argument !== "" && SAFE.test(argument)) return argument;
  return `'${argument.replaceAll("'", `'"'"'`)}'`;
}

/** Joins an argument array into one POSIX shell command line. */
export function shellJoin(argv: readonly string[]): string {
  return argv.map(quote).join(" ");
}

/** An argument array that runs a fixed shell script with positional arguments ($1, $2, ...), quoted by construction. */
export function shScript(script: string, ...args: string[]): string[] {
  return ["sh", "-c", script, "sh", ...args];
}
