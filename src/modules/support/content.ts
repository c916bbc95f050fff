/** Content helpers: checksums, the facts that read a file's text, and diff material. */
import { createHash } from "node:crypto";
import type { Fact, FileDiff, PathAfter, Probe } from "../types.js";
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

/**
 * A file's text as the host gave it, or `read: false` when there was none to read (missing,
 * not a regular file, unreadable). Whether that is an error is the planner's call: the file's
 * state fact says which it was.
 */
export type FileText = { readonly read: true; readonly text: string } | { readonly read: false };

/** Reads a file in full (lineinfile, blockinfile, sysctl edit it); rc 1 when it does not exist. */
export function readFileProbe(path: string): Probe {
  return { argv: shScript('[ -f "$1" ] || exit 1; cat -- "$1"', path) };
}

/** Reads at most DIFF_LIMIT + 1 bytes, so a longer file is recognised as too long to show. */
export function readSmallFileProbe(path: string): Probe {
  return { argv: shScript('[ -f "$1" ] || exit 1; head -c "$2" -- "$1"', path, String(DIFF_LIMIT + 1)) };
}

/** The fact "the whole text of `path`"; in check mode, the content an earlier change would write. */
export function fileTextFact(path: string): Fact<FileText> {
  return textFact(path, readFileProbe(path));
}

/** The fact "the first DIFF_LIMIT + 1 bytes of `path`", the --diff's before. */
export function smallFileTextFact(path: string): Fact<FileText> {
  return textFact(path, readSmallFileProbe(path));
}

function textFact(path: string, probe: Probe): Fact<FileText> {
  return {
    ...probe,
    subject: `path:${path}`,
    parse: (result) => (result.rc === 0 ? { read: true, text: result.stdout } : { read: false }),
    predict: (after) => predictText(after as PathAfter),
  };
}

/** What a read of the path would give after `after`; undefined when the change did not say (a link's target, unknown content). */
function predictText(after: PathAfter): FileText | undefined {
  if (!after.exists || after.kind === "directory") return { read: false };
  if (after.kind === "link" || after.content === undefined) return undefined;
  return { read: true, text: after.content.toString("utf8") };
}

/** What the file holds now, as diff text; a placeholder when it is missing, binary or long. */
export function beforeText(read: FileText | undefined, exists: boolean): string {
  if (!exists) return "";
  if (read === undefined || !read.read) return "(current content not read)\n";
  if (read.text.length > DIFF_LIMIT || read.text.includes("\0")) return "(binary or larger than 64 KiB: not shown)\n";
  return read.text;
}

export function fileDiff(path: string, before: string, after: Buffer): FileDiff {
  const afterText = after.length <= DIFF_LIMIT && isText(after) ? after.toString("utf8") : "(binary or larger than 64 KiB: not shown)\n";
  return { path, before, after: afterText };
}
