/**
 * Handlebars helpers for templates, registered on runbook's private Handlebars instance.
 * Handlebars passes an `options` object as the last argument of every helper; `plain` strips it
 * so the functions below see only the template's arguments.
 */
import type { HelperDelegate, HelperOptions } from "handlebars";
import { FILTERS } from "./filters.js";
import { isTruthy, ownProperty, toText, valuesEqual, ValueProblem } from "./values.js";

type Plain = (...args: unknown[]) => unknown;

function plain(fn: Plain): HelperDelegate {
  return (...args: unknown[]) => fn(...args.slice(0, -1));
}

/** range 3 -> [0,1,2]; range 1 4 -> [1,2,3]. */
function range(startOrEnd: unknown, end?: unknown): number[] {
  const [from, to] = end === undefined ? [0, Number(startOrEnd)] : [Number(startOrEnd), Number(end)];
  if (!Number.isInteger(from) || !Number.isInteger(to) || to - from > 100_000) {
    throw new ValueProblem("range needs whole numbers (at most 100000 items)", "e.g. {{#each (range 3)}}{{this}}{{/each}}");
  }
  return Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
}

function comparable(op: string, a: unknown, b: unknown): [number | string, number | string] {
  const ok = (x: unknown): x is number | string => typeof x === "number" || typeof x === "string";
  if (!ok(a) || !ok(b) || typeof a !== typeof b) throw new ValueProblem(`${op} compares two numbers or two strings`);
  return [a, b];
}

/** lookup_host_var 'k18s01' 'ansible_host': another host's variable, read from `hostvars`. */
function lookupHostVar(host: unknown, name: unknown, options: HelperOptions): unknown {
  const root: unknown = options.data?.root;
  const hostvars = ownProperty(root, "hostvars");
  const vars = ownProperty(hostvars.value, toText(host));
  if (!vars.found) throw new ValueProblem(`no host '${toText(host)}' in hostvars`, "check the inventory host name");
  const value = ownProperty(vars.value, toText(name));
  if (!value.found) throw new ValueProblem(`host '${toText(host)}' has no variable '${toText(name)}'`);
  return value.value;
}

/** Every helper: each filter (filters.ts, documented there) under its own name, plus the ones below. */
export const HELPERS: Readonly<Record<string, HelperDelegate>> = {
  ...Object.fromEntries(Object.entries(FILTERS).map(([name, fn]) => [name, plain(fn)])),
  /** json x: JSON text (to_json). */
  json: plain((value) => JSON.stringify(value ?? null)),
  /** eq / ne: structural (in)equality. */
  eq: plain((a, b) => valuesEqual(a, b)),
  ne: plain((a, b) => !valuesEqual(a, b)),
  /** lt / gt: compare two numbers or two strings. */
  lt: plain((a, b) => {
    const [x, y] = comparable("lt", a, b);
    return x < y;
  }),
  gt: plain((a, b) => {
    const [x, y] = comparable("gt", a, b);
    return x > y;
  }),
  /** and / or: all / any of the arguments truthy (Python rules). not: negation. */
  and: plain((...args) => args.every(isTruthy)),
  or: plain((...args) => args.some(isTruthy)),
  not: plain((value) => !isTruthy(value)),
  /** range n / range from to: whole numbers, end excluded. */
  range: plain(range),
  /** lookup_host_var host name: hostvars[host][name]; an error if either is missing. */
  lookup_host_var: (host: unknown, name: unknown, options: HelperOptions) => lookupHostVar(host, name, options),
};

/** Helpers whose arguments may be undefined: they exist to test or replace optional values. */
export const LENIENT_HELPERS: ReadonlySet<string> = new Set(["if", "unless", "with", "default", "d"]);
