/**
 * blockinfile's editing rule as a pure function, as Ansible's blockinfile applies it: the file
 * is a list of lines with their own endings; the block is what lies between the LAST line that
 * is the begin marker and the LAST line that is the end marker (in either order); it is replaced
 * in place, or without both markers inserted after/before the last line matching
 * insertafter/insertbefore (EOF by default). Lines the edit does not touch stay byte for byte.
 *
 * One deliberate difference (docs/ansible-differences.md): an end marker that is the file's last
 * line without a newline is still a marker, so removing such a block takes one run, not two.
 */
import { pythonRegExp } from "./schema.js";

export interface BlockEdit {
  readonly block: string;
  readonly beginMarker: string;
  readonly endMarker: string;
  readonly state: "present" | "absent";
  readonly insertafter?: string | undefined;
  readonly insertbefore?: string | undefined;
}

/** Lines with their endings, split as Python's bytes.splitlines(True) does (\n, \r\n or \r). */
function rawLines(text: string): string[] {
  return text.match(/[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$/g) ?? [];
}

/** Python's `$` matches before a final newline; JavaScript's does not. */
const searched = (raw: string): string => raw.replace(/\r?\n$|\r$/, "");

/** The index of the last line that is `marker` (a last line without its newline counts too), -1 for none. */
function lastMarker(lines: readonly string[], marker: string): number {
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i];
    if (line === `${marker}\n` || (i === lines.length - 1 && line === marker)) return i;
  }
  return -1;
}

/** Where a new block goes: after/before the last line matching the regexp, else at the end (or start for BOF). */
function insertionIndex(lines: readonly string[], edit: BlockEdit): number {
  const after = edit.insertafter ?? (edit.insertbefore === undefined ? "EOF" : undefined);
  const pattern = after !== undefined && after !== "EOF" ? after : edit.insertbefore !== undefined && edit.insertbefore !== "BOF" ? edit.insertbefore : undefined;
  if (pattern === undefined) return after !== undefined ? lines.length : 0;
  const regexp = pythonRegExp(pattern);
  let at = -1;
  for (const [index, line] of lines.entries()) if (regexp.test(searched(line))) at = index;
  if (at < 0) return lines.length;
  return after !== undefined ? at + 1 : at;
}

/** Applies a blockinfile edit; an empty block means the same as state absent (as in Ansible). */
export function editBlock(text: string, edit: BlockEdit): string {
  const lines = rawLines(text);
  const body = edit.block.endsWith("\n") ? edit.block : `${edit.block}\n`;
  const blockLines = edit.state === "present" && edit.block !== "" ? [`${edit.beginMarker}\n`, ...rawLines(body), `${edit.endMarker}\n`] : [];
  const begin = lastMarker(lines, edit.beginMarker);
  const end = lastMarker(lines, edit.endMarker);
  let at: number;
  if (begin < 0 || end < 0) {
    at = insertionIndex(lines, edit);
  } else {
    at = Math.min(begin, end);
    lines.splice(at, Math.abs(end - begin) + 1);
  }
  // the line before the block ends with a newline
  const previous = lines[at - 1];
  if (at > 0 && previous !== undefined && !previous.endsWith("\n")) lines[at - 1] = `${previous}\n`;
  lines.splice(at, 0, ...blockLines);
  return lines.join("");
}
