/** blockinfile's editing rule as a pure function: a marked block replaced, inserted or removed. */
import { joinLines, splitLines } from "./lines.js";
import { pythonRegExp } from "./schema.js";

export interface BlockEdit {
  readonly block: string;
  readonly beginMarker: string;
  readonly endMarker: string;
  readonly state: "present" | "absent";
  readonly insertafter?: string | undefined;
  readonly insertbefore?: string | undefined;
}

function lastMatch(lines: readonly string[], pattern: string): number {
  const re = pythonRegExp(pattern);
  for (let i = lines.length - 1; i >= 0; i--) if (re.test(lines[i] ?? "")) return i;
  return -1;
}

function insertionIndex(lines: readonly string[], edit: BlockEdit): number {
  if (edit.insertbefore !== undefined) {
    if (edit.insertbefore === "BOF") return 0;
    const at = lastMatch(lines, edit.insertbefore);
    return at >= 0 ? at : lines.length;
  }
  if (edit.insertafter !== undefined && edit.insertafter !== "EOF") {
    const at = lastMatch(lines, edit.insertafter);
    return at >= 0 ? at + 1 : lines.length;
  }
  return lines.length;
}

/** Applies a blockinfile edit; an empty block means the same as state absent (as in Ansible). */
export function editBlock(text: string, edit: BlockEdit): string {
  const lines = splitLines(text);
  const begin = lines.findIndex((line) => line.trimEnd() === edit.beginMarker);
  const endOffset = begin >= 0 ? lines.slice(begin).findIndex((line) => line.trimEnd() === edit.endMarker) : -1;
  const end = endOffset >= 0 ? begin + endOffset : -1;
  const remove = edit.state === "absent" || edit.block === "";
  const blockLines = remove ? [] : [edit.beginMarker, ...splitLines(edit.block.endsWith("\n") ? edit.block : `${edit.block}\n`), edit.endMarker];
  let next: string[];
  if (begin >= 0 && end >= 0) {
    next = [...lines.slice(0, begin), ...blockLines, ...lines.slice(end + 1)];
  } else if (remove) {
    return text;
  } else {
    next = [...lines];
    next.splice(insertionIndex(lines, edit), 0, ...blockLines);
  }
  const result = joinLines(next);
  return result === joinLines(lines) && text.endsWith("\n") ? text : result;
}
