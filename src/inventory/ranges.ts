/**
 * Ansible host ranges: `web[01:03]`, `db-[a:c]`, `10.0.0.[1:9:2]`, several ranges per name.
 * Zero-padded bounds keep their width, like Ansible's expand_hostname_range.
 */
import { ParseError, type SourceLocation } from "../errors.js";

const LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
const RANGE_HINT = "write a range as [start:end] or [start:end:step], e.g. web[01:10] or db-[a:c]";

export function hasRange(name: string): boolean {
  return name.includes("[");
}

/** Expands every `[start:end(:step)]` in `pattern`; a name without brackets is returned alone. */
export function expandHostRange(pattern: string, where: SourceLocation): string[] {
  const open = pattern.indexOf("[");
  if (open < 0) return [pattern];
  const close = pattern.indexOf("]", open);
  if (close < 0) throw rangeError(`unclosed host range in '${pattern}'`, where);
  const head = pattern.slice(0, open);
  const tail = pattern.slice(close + 1);
  const names: string[] = [];
  for (const middle of rangeItems(pattern.slice(open + 1, close), pattern, where)) {
    names.push(...expandHostRange(head + middle + tail, where));
  }
  return names;
}

function rangeItems(range: string, pattern: string, where: SourceLocation): string[] {
  const bounds = range.split(":");
  if (bounds.length !== 2 && bounds.length !== 3) {
    throw rangeError(`host range '[${range}]' in '${pattern}' must be begin:end or begin:end:step`, where);
  }
  const begin = bounds[0] === "" ? "0" : (bounds[0] ?? "0");
  const end = bounds[1] ?? "";
  const stepText = bounds[2] ?? "1";
  if (end === "") throw rangeError(`host range '[${range}]' in '${pattern}' has no end value`, where);
  if (!/^[1-9][0-9]*$/.test(stepText)) throw rangeError(`host range step '${stepText}' in '${pattern}' must be a positive integer`, where);
  const step = Number(stepText);
  if (/^[a-zA-Z]$/.test(begin) && /^[a-zA-Z]$/.test(end)) return letterItems(begin, end, step, pattern, where);
  if (!/^[0-9]+$/.test(begin) || !/^[0-9]+$/.test(end)) {
    throw rangeError(`host range '[${range}]' in '${pattern}' must use numbers or single letters`, where);
  }
  const width = begin.length > 1 && begin.startsWith("0") ? begin.length : 0;
  if (width > 0 && width !== end.length) {
    throw rangeError(`host range '[${range}]' in '${pattern}' must use equal-length begin and end when zero-padded`, where);
  }
  const items: string[] = [];
  for (let i = Number(begin); i <= Number(end); i += step) items.push(String(i).padStart(width, "0"));
  if (items.length === 0) throw rangeError(`host range '[${range}]' in '${pattern}' is empty: begin is after end`, where);
  return items;
}

function letterItems(begin: string, end: string, step: number, pattern: string, where: SourceLocation): string[] {
  const from = LETTERS.indexOf(begin);
  const to = LETTERS.indexOf(end);
  if (from > to) throw rangeError(`host range '[${begin}:${end}]' in '${pattern}' must have begin <= end`, where);
  const items: string[] = [];
  for (let i = from; i <= to; i += step) items.push(LETTERS[i] ?? "");
  return items;
}

function rangeError(message: string, where: SourceLocation): ParseError {
  return new ParseError(message, { location: where, hint: RANGE_HINT });
}
