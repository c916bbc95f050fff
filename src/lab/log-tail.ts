/** The last lines of a host's log (init.log, sshd.log), quoted in errors: the host and its files may be gone by the time someone looks. */
import { readFileSync } from "node:fs";

/** Up to `count` last non-empty lines of `file`; none when it cannot be read. */
export function lastLines(file: string, count: number): string[] {
  try {
    return readFileSync(file, "utf8").trim().split("\n").filter(Boolean).slice(-count);
  } catch {
    return [];
  }
}
