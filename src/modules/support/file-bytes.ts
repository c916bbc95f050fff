/**
 * The bytes of a host file (slurp, fetch), read as base64 so that any content survives the
 * text channel. Absence and the wrong kind are values, not failures: the module decides.
 */
import type { Fact, PathAfter } from "../types.js";
import { shScript } from "../../transport/quote.js";
import { ProbeError } from "./probe-error.js";

export type FileBytes =
  | { readonly kind: "absent" | "directory" | "unreadable" }
  | { readonly kind: "file"; readonly bytes: Buffer };

// the first line says what the path is; a readable file's base64 follows on the next
const SCRIPT = [
  'if [ -d "$1" ]; then echo directory; exit 0; fi',
  'if [ ! -e "$1" ]; then echo absent; exit 0; fi',
  'if [ ! -r "$1" ]; then echo unreadable; exit 0; fi',
  "echo file",
  'base64 -w0 -- "$1"',
].join("\n");

export function parseFileBytes(stdout: string, rc: number, stderr: string): FileBytes {
  const newline = stdout.indexOf("\n");
  const head = newline < 0 ? stdout : stdout.slice(0, newline);
  if (rc !== 0) throw new ProbeError(`cannot read the file: ${stderr.trim() || `exit ${rc}`}`);
  if (head === "absent" || head === "directory" || head === "unreadable") return { kind: head };
  if (head !== "file") throw new ProbeError(`unexpected output while reading the file: ${stdout.slice(0, 80)}`);
  return { kind: "file", bytes: Buffer.from(stdout.slice(newline + 1).trim(), "base64") };
}

/** The fact "the bytes at `path`"; in check mode, what an earlier change would leave there. */
export function fileBytesFact(path: string): Fact<FileBytes> {
  return {
    argv: shScript(SCRIPT, path),
    subject: `path:${path}`,
    parse: (result) => parseFileBytes(result.stdout, result.rc, result.stderr),
    predict: (after) => predictBytes(after as PathAfter),
  };
}

function predictBytes(after: PathAfter): FileBytes | undefined {
  if (!after.exists) return { kind: "absent" };
  if (after.kind === "directory") return { kind: "directory" };
  if (after.kind !== "file" || after.content === undefined) return undefined;
  return { kind: "file", bytes: after.content };
}
