/**
 * One probe that reads several small config files at once (apt's sources, modprobe's boot
 * directories): every regular file the shell patterns match, each after a NUL and `==> PATH`,
 * so files without a final newline stay apart. Missing patterns just match nothing.
 */
import type { Fact, ProbeResult } from "../types.js";
import { ProbeError } from "./probe-error.js";
import { shScript } from "../../transport/quote.js";

const SCRIPT = `for f in "$@"; do for g in $f; do [ -f "$g" ] && printf '\\000==> %s\\n' "$g" && cat -- "$g"; done; done; exit 0`;

/** Path to text, in the order the patterns found them. */
export function parseFileSnapshot(result: ProbeResult): Map<string, string> {
  if (result.rc !== 0) throw new ProbeError(`could not read the files: ${result.stderr.trim() || `exit ${result.rc}`}`);
  const files = new Map<string, string>();
  for (const chunk of result.stdout.split("\0==> ").slice(1)) {
    const newline = chunk.indexOf("\n");
    files.set(newline < 0 ? chunk : chunk.slice(0, newline), newline < 0 ? "" : chunk.slice(newline + 1));
  }
  return files;
}

/** The files matching these shell glob patterns (unquoted expansion inside: patterns must not hold spaces). */
export function fileSnapshotFact(patterns: readonly string[]): Fact<Map<string, string>> {
  return { argv: shScript(SCRIPT, ...patterns), parse: parseFileSnapshot };
}
