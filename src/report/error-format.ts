/**
 * One format for every user-facing error: what went wrong, where (file:line:col and a code
 * frame), and a hint. Stack traces only at -vvv.
 */
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import type { ChalkInstance } from "chalk";
import { RunbookError, type SourceLocation } from "../errors.js";

export function formatError(error: unknown, options: { color: ChalkInstance; verbosity: number }): string {
  const { color } = options;
  if (!(error instanceof RunbookError)) {
    const message = error instanceof Error ? error.message : String(error);
    const stack = options.verbosity >= 3 && error instanceof Error && error.stack ? `\n${error.stack}` : "";
    return `${color.red("ERROR!")} ${message}${stack}`;
  }
  const lines = [`${color.red("ERROR!")} ${error.message}`, ...whereAndHint(error, color)];
  if (options.verbosity >= 3 && error.stack) lines.push(error.stack);
  return lines.join("\n");
}

/** The lines under an error's message: where (file:line:col and a code frame), and the hint. */
export function whereAndHint(error: { readonly location?: SourceLocation | undefined; readonly hint?: string | undefined }, color: ChalkInstance): string[] {
  const lines: string[] = [];
  if (error.location) {
    lines.push(`  ${color.cyan("-->")} ${displayPath(error.location.file)}:${error.location.line}:${error.location.column}`);
    const frame = codeFrame(error.location);
    if (frame) lines.push(frame);
  }
  if (error.hint) lines.push(`  ${color.yellow("hint:")} ${error.hint}`);
  return lines;
}

/** Two lines of context either side of the error line, with a caret under the column. */
export function codeFrame(location: SourceLocation, context = 2): string | undefined {
  let text: string;
  try {
    text = readFileSync(location.file, "utf8");
  } catch {
    return undefined;
  }
  const lines = text.split("\n");
  const first = Math.max(1, location.line - context);
  const last = Math.min(lines.length, location.line + context);
  const width = String(last).length;
  const out: string[] = [];
  for (let n = first; n <= last; n++) {
    const marker = n === location.line ? ">" : " ";
    out.push(`  ${marker} ${String(n).padStart(width)} | ${lines[n - 1] ?? ""}`);
    if (n === location.line) out.push(`    ${" ".repeat(width)} | ${" ".repeat(Math.max(0, location.column - 1))}^`);
  }
  return out.join("\n");
}

function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel.startsWith("..") ? file : rel;
}
