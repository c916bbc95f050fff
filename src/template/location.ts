/** Turning an offset inside a string into a location in the file the string came from. */
import type { SourceLocation } from "../errors.js";

/**
 * Where `offset` (0-based, into `text`) lies in the file, given that `text` starts at `where`.
 * Lines after the first start at column 1, so multi-line strings (YAML block scalars, template
 * files) report the line the problem is on.
 */
export function offsetLocation(where: SourceLocation, text: string, offset: number): SourceLocation {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lastBreak = before.lastIndexOf("\n");
  if (lastBreak < 0) return { file: where.file, line: where.line, column: where.column + before.length };
  let lines = 0;
  for (const ch of before) if (ch === "\n") lines++;
  return { file: where.file, line: where.line + lines, column: before.length - lastBreak };
}

/** Location of a 1-based line and 0-based column inside `text`, as Handlebars reports them. */
export function lineColumnLocation(where: SourceLocation, line: number, column: number): SourceLocation {
  if (line <= 1) return { file: where.file, line: where.line, column: where.column + column };
  return { file: where.file, line: where.line + line - 1, column: column + 1 };
}
