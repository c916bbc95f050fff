/**
 * Tasks keep one location (where the task starts), so an error inside one of its strings is first
 * located relative to that. This moves it to where the string is actually written: the first line
 * at or after the task's start that contains the string's first line.
 */
import { readFileSync } from "node:fs";
import { ParseError, type SourceLocation } from "../errors.js";

export function relocate(error: ParseError, where: SourceLocation, text: string): ParseError {
  const at = error.location;
  if (!at || at.file !== where.file) return error; // already in another file (a template)
  const firstLine = text.split("\n")[0] ?? "";
  if (firstLine.trim() === "") return error;
  let lines: string[];
  try {
    lines = readFileSync(where.file, "utf8").split("\n");
  } catch {
    return error;
  }
  for (let index = where.line - 1; index < lines.length; index++) {
    const column = (lines[index] ?? "").indexOf(firstLine);
    if (column < 0) continue;
    const lineDelta = at.line - where.line;
    const location: SourceLocation =
      lineDelta === 0
        ? { file: where.file, line: index + 1, column: column + 1 + (at.column - where.column) }
        : { file: where.file, line: index + 1 + lineDelta, column: at.column };
    return new ParseError(error.message, { location, hint: error.hint, cause: error });
  }
  return error;
}
