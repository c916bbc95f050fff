/**
 * lineinfile's editing rules as pure functions over text, as Ansible's lineinfile applies them:
 * the file is a list of lines that keep their own endings (Python's readlines), and only the
 * lines an edit touches change, so the rest stays byte for byte (a missing final newline too).
 *
 * present: the last line matching `regexp` (or containing `searchString`; the first with
 * `firstmatch`) is replaced; without such a match, a line equal to `line` counts as the match;
 * otherwise the line is inserted after/before the last match of insertafter/insertbefore
 * (BOF/EOF for the ends), at EOF when that does not match. absent: every matching line goes.
 */
import { pythonRegExp } from "./schema.js";

export interface LineEdit {
  readonly line?: string | undefined;
  readonly regexp?: RegExp | undefined;
  /** A literal substring instead of a regexp (Ansible's search_string). */
  readonly searchString?: string | undefined;
  readonly state: "present" | "absent";
  readonly insertafter?: string | undefined;
  readonly insertbefore?: string | undefined;
  readonly backrefs?: boolean | undefined;
  readonly firstmatch?: boolean | undefined;
}

/** Splits text into lines, without their endings (a final newline ends the last line). */
export function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** Joins lines back, every line newline-terminated. */
export function joinLines(lines: readonly string[]): string {
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}

/** The lines of a text, each with its own ending (the last one may have none), as Python's readlines. */
export function rawLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** A raw line without its ending characters (Python's rstrip("\r\n")): what `line` is compared with. */
const body = (raw: string): string => raw.replace(/[\r\n]+$/, "");

/** What a regexp searches: Python's `$` matches before a final newline, JavaScript's does not. */
const searched = (raw: string): string => (raw.endsWith("\n") ? raw.slice(0, -1) : raw);

const endsLine = (raw: string | undefined): boolean => raw !== undefined && /[\r\n]$/.test(raw);

/** Expands \1 and \g<name> in `template` from a regexp match (Python's match.expand). */
export function expandBackrefs(template: string, match: RegExpExecArray): string {
  return template.replace(/\\(\d+)|\\g<(\w+)>/g, (_, index: string | undefined, name: string | undefined) => {
    if (index !== undefined) return match[Number(index)] ?? "";
    return match.groups?.[name ?? ""] ?? (/^\d+$/.test(name ?? "") ? (match[Number(name)] ?? "") : "");
  });
}

/** The index of the last line passing `test` (the first with `first`), -1 for none. */
function findLine<T>(lines: readonly string[], test: (raw: string) => T | undefined, first: boolean | undefined): { at: number; found: T | undefined } {
  let at = -1;
  let found: T | undefined;
  for (const [index, raw] of lines.entries()) {
    const result = test(raw);
    if (result === undefined) continue;
    at = index;
    found = result;
    if (first === true) break;
  }
  return { at, found };
}

/** The line that regexp or searchString picks, and the regexp's match for backrefs. */
function matchedLine(lines: readonly string[], edit: LineEdit): { at: number; match: RegExpExecArray | undefined } {
  if (edit.regexp !== undefined) {
    const regexp = edit.regexp;
    const { at, found } = findLine(lines, (raw) => regexp.exec(searched(raw)) ?? undefined, edit.firstmatch);
    return { at, match: found };
  }
  if (edit.searchString !== undefined) {
    const needle = edit.searchString;
    return { at: findLine(lines, (raw) => (raw.includes(needle) ? true : undefined), edit.firstmatch).at, match: undefined };
  }
  return { at: -1, match: undefined };
}

/** The insertafter/insertbefore regexp, unless it names an end of the file. */
function insertionRegExp(edit: LineEdit): RegExp | undefined {
  if (edit.insertafter !== undefined && edit.insertafter !== "BOF" && edit.insertafter !== "EOF") return pythonRegExp(edit.insertafter);
  if (edit.insertbefore !== undefined && edit.insertbefore !== "BOF") return pythonRegExp(edit.insertbefore);
  return undefined;
}

/** Without a regexp/searchString match: the last line equal to `line`, and where an insertion would go. */
function exactOrInsertion(lines: readonly string[], edit: LineEdit, wanted: string): { exact: number; insertAt: number } {
  const insertion = insertionRegExp(edit);
  let exact = -1;
  let insertAt = -1;
  for (const [index, raw] of lines.entries()) {
    if (body(raw) === wanted) exact = index;
    else if (insertion !== undefined && insertion.test(searched(raw))) {
      insertAt = edit.insertafter !== undefined ? index + 1 : index;
      if (edit.firstmatch === true) break;
    }
  }
  return { exact, insertAt };
}

/** Inserts `wanted` as a new line where lineinfile puts it (lines is changed in place). */
function insertLine(lines: string[], edit: LineEdit, wanted: string, insertAt: number): void {
  const added = `${wanted}\n`;
  if (edit.insertbefore === "BOF" || edit.insertafter === "BOF") {
    lines.unshift(added);
  } else if (edit.insertafter === "EOF" || insertAt === -1) {
    // a last line without its newline gets one before the new line
    if (lines.length > 0 && !endsLine(lines[lines.length - 1])) lines.push("\n");
    lines.push(added);
  } else if (edit.insertafter !== undefined) {
    // not when the line is already there, right after the match
    const next = insertAt === lines.length ? lines[insertAt - 1] : lines[insertAt];
    if (body(next ?? "") !== wanted) lines.splice(insertAt, 0, added);
  } else {
    lines.splice(insertAt, 0, added);
  }
}

function present(lines: string[], edit: LineEdit): void {
  const wanted = edit.line ?? "";
  const matched = matchedLine(lines, edit);
  let at = matched.at;
  let insertAt = -1;
  if (at < 0) {
    const found = exactOrInsertion(lines, edit, wanted);
    at = found.exact;
    insertAt = found.insertAt;
  }
  if (at >= 0) {
    const replacement = edit.backrefs === true && matched.match !== undefined ? expandBackrefs(wanted, matched.match) : wanted;
    lines[at] = replacement.endsWith("\n") ? replacement : `${replacement}\n`;
    return;
  }
  // without a match, backrefs have nothing to expand: nothing changes
  if (edit.backrefs !== true) insertLine(lines, edit, wanted, insertAt);
}

/** Applies a lineinfile edit to text and returns the new text (identical text: nothing to do). */
export function editLines(text: string, edit: LineEdit): string {
  const lines = rawLines(text);
  if (edit.state === "absent") {
    const { regexp, searchString } = edit;
    const matches = (raw: string): boolean => {
      if (regexp !== undefined) return regexp.test(searched(raw));
      if (searchString !== undefined) return raw.includes(searchString);
      return body(raw) === edit.line;
    };
    return lines.filter((raw) => !matches(raw)).join("");
  }
  present(lines, edit);
  return lines.join("");
}
