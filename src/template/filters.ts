/**
 * Filters: `value | name(args)` in expressions, and the same functions as Handlebars helpers
 * (`{{ default x 'y' }}`, or `{{ x | default('y') }}` rewritten into that form).
 * Each takes the piped value first; a bad input throws ValueProblem.
 */
import { isPlainObject, isTruthy, toText, typeName, ValueProblem } from "./values.js";

export type Filter = (value: unknown, ...args: unknown[]) => unknown;

const TRUE_WORDS = new Set(["true", "yes", "on", "1", "y"]);

/** Ansible's default(): the fallback when the value is undefined, or (second arg true) when falsy. */
export function defaultFilter(value: unknown, fallback: unknown = "", whenFalsy: unknown = false): unknown {
  if (value === undefined) return fallback;
  return whenFalsy === true && !isTruthy(value) ? fallback : value;
}

function bool(value: unknown): boolean {
  if (typeof value === "boolean") return value;
  if (typeof value === "number") return value === 1;
  if (typeof value === "string") return TRUE_WORDS.has(value.trim().toLowerCase());
  return false;
}

function int(value: unknown, fallback: unknown = 0): number {
  if (typeof value === "number") return Math.trunc(value);
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "string" && /^\s*[-+]?\d+(\.\d*)?\s*$/.test(value)) return Math.trunc(Number(value));
  return typeof fallback === "number" ? fallback : 0;
}

function length(value: unknown): number {
  if (typeof value === "string" || Array.isArray(value)) return value.length;
  if (isPlainObject(value)) return Object.keys(value).length;
  throw new ValueProblem(`length of a ${typeName(value)} is undefined`, "length works on strings, lists and dicts");
}

function join(value: unknown, separator: unknown = ""): string {
  if (!Array.isArray(value)) throw new ValueProblem(`join needs a list, got a ${typeName(value)}`);
  return value.map(toText).join(toText(separator));
}

function b64decode(value: unknown): string {
  return Buffer.from(toText(value), "base64").toString("utf8");
}

/** The filters expressions accept; helpers.ts registers the same functions for templates. */
export const FILTERS: Readonly<Record<string, Filter>> = {
  default: defaultFilter,
  d: defaultFilter,
  bool,
  int,
  float: (value) => (typeof value === "number" ? value : Number.parseFloat(toText(value)) || 0),
  string: (value) => toText(value),
  length,
  count: length,
  lower: (value) => toText(value).toLowerCase(),
  upper: (value) => toText(value).toUpperCase(),
  trim: (value) => toText(value).trim(),
  join,
  to_json: (value) => JSON.stringify(value ?? null),
  b64encode: (value) => Buffer.from(toText(value), "utf8").toString("base64"),
  b64decode,
  first: (value) => (Array.isArray(value) || typeof value === "string" ? value[0] : undefined),
  last: (value) => (Array.isArray(value) || typeof value === "string" ? value[value.length - 1] : undefined),
};
