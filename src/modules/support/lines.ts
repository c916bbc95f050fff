/**
 * lineinfile's editing rules as pure functions over text (Ansible's semantics): the last line
 * matching `regexp` is replaced; without a match the line is inserted after/before the last
 * match of insertafter/insertbefore (EOF/BOF for the ends), at EOF when that does not match.
 */
import { pythonRegExp } from "./schema.js";

export interface LineEdit {
  readonly line?: string | undefined;
  readonly regexp?: RegExp | undefined;
  readonly state: "present" | "absent";
  readonly insertafter?: string | undefined;
  readonly insertbefore?: string | undefined;
  readonly backrefs?: boolean | undefined;
  readonly firstmatch?: boolean | undefined;
}

/** Splits text into lines, remembering whether it ended with a newline. */
export function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** Joins lines back, every line newline-terminated (as Ansible writes them). */
export function joinLines(lines: readonly string[]): string {
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}

function lastIndex(lines: readonly string[], test: (line: string) => boolean, first = false): number {
  if (first) return lines.findIndex(test);
  for (let i = lines.length - 1; i >= 0; i--) if (test(lines[i] ?? "")) return i;
  return -1;
}

/** Expands \1 and \g<name> in `template` from a regexp match (Python's match.expand). */
export function expandBackrefs(template: string, match: RegExpExecArray): string {
  return template.replace(/\\(\d+)|\\g<(\w+)>/g, (_, index: string | undefined, name: string | undefined) => {
    if (index !== undefined) return match[Number(index)] ?? "";
    return match.groups?.[name ?? ""] ?? (/^\d+$/.test(name ?? "") ? (match[Number(name)] ?? "") : "");
  });
}

/** Where a new line goes: the index to insert at. */
function insertionIndex(lines: readonly string[], edit: LineEdit): number {
  if (edit.insertbefore !== undefined) {
    if (edit.insertbefore === "BOF") return 0;
    const at = lastIndex(lines, (line) => pythonRegExp(edit.insertbefore ?? "").test(line), edit.firstmatch);
    return at >= 0 ? at : lines.length;
  }
  if (edit.insertafter !== undefined && edit.insertafter !== "EOF") {
    const at = lastIndex(lines, (line) => pythonRegExp(edit.insertafter ?? "").test(line), edit.firstmatch);
    return at >= 0 ? at + 1 : lines.length;
  }
  return lines.length;
}

/** Applies a lineinfile edit to text and returns the new text (identical text: nothing to do). */
export function editLines(text: string, edit: LineEdit): string {
  const lines = splitLines(text);
  const matches = (line: string): boolean => (edit.regexp ? edit.regexp.test(line) : line === edit.line);
  if (edit.state === "absent") {
    const kept = lines.filter((line) => !matches(line));
    return kept.length === lines.length ? text : joinLines(kept);
  }
  const wanted = edit.line ?? "";
  const at = lastIndex(lines, matches, edit.firstmatch);
  if (at >= 0) {
    const current = lines[at] ?? "";
    const replacement = edit.backrefs && edit.regexp ? expandBackrefs(wanted, edit.regexp.exec(current) as RegExpExecArray) : wanted;
    if (current === replacement) return text;
    const next = [...lines];
    next[at] = replacement;
    return joinLines(next);
  }
  if (edit.backrefs) return text;
  if (edit.regexp && lines.includes(wanted)) return text;
  const next = [...lines];
  next.splice(insertionIndex(lines, edit), 0, wanted);
  return joinLines(next);
}
