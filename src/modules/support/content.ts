/** Content helpers: checksums, the small-text read probe, and diff material. */
import { createHash } from "node:crypto";
import type { FileDiff, Probe, ProbeResult } from "../types.js";
import { shScript } from "../../transport/quote.js";

/** Largest file whose current content is read for --diff. */
export const DIFF_LIMIT = 64 * 1024;

export function sha256(content: Buffer | string): string {
  return createHash("sha256").update(content).digest("hex");
}

/** Text, for diff purposes: valid UTF-8 without NUL bytes. */
export function isText(content: Buffer): boolean {
  if (content.includes(0)) return false;
  return Buffer.from(content.toString("utf8"), "utf8").equals(content);
}

/** Reads a file in full (lineinfile, blockinfile, sysctl edit it); rc 1 when it does not exist. */
export function readFileProbe(path: string): Probe {
  return { argv: shScript('[ -f "$1" ] || exit 1; cat -- "$1"', path) };
}

/** Reads at most DIFF_LIMIT + 1 bytes, so a longer file is recognised as too long to show. */
export function readSmallFileProbe(path: string): Probe {
  return { argv: shScript('[ -f "$1" ] || exit 1; head -c "$2" -- "$1"', path, String(DIFF_LIMIT + 1)) };
}

/** What the file holds now, as diff text; a placeholder when it is missing, binary or long. */
export function beforeText(read: ProbeResult | undefined, exists: boolean): string {
  if (!exists) return "";
  if (read === undefined || read.rc !== 0) return "(current content not read)\n";
  if (read.stdout.length > DIFF_LIMIT || read.stdout.includes("\0")) return "(binary or larger than 64 KiB: not shown)\n";
  return read.stdout;
}

export function fileDiff(path: string, before: string, after: Buffer): FileDiff {
  const afterText = after.length <= DIFF_LIMIT && isText(after) ? after.toString("utf8") : "(binary or larger than 64 KiB: not shown)\n";
  return { path, before, after: afterText };
}
