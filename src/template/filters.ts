/**
 * Filters: `value | name(args)` in expressions, and the same functions as Handlebars helpers
 * (`{{ default x 'y' }}`, or `{{ x | default('y') }}` rewritten into that form).
 * Each takes the piped value first; a bad input throws ValueProblem.
 */
import { createHash } from "node:crypto";
import { stringify as toYaml } from "yaml";
import { ipaddrAddress, netmask, network, nthHost, prefix } from "./ipaddr.js";
import { isPlainObject, isTruthy, toText, typeName, ValueProblem } from "./values.js";
import { boolWord } from "../playbook/booleans.js";

export type Filter = (value: unknown, ...args: unknown[]) => unknown;

/** Ansible's default(): the fallback when the value is undefined, or (second arg true) when falsy. */
export function defaultFilter(value: unknown, fallback: unknown = "", whenFalsy: unknown = false): unknown {
  if (value === undefined) return fallback;
  return whenFalsy === true && !isTruthy(value) ? fallback : value;
}

function bool(value: unknown): boolean {
  if (typeof value === "boolean") return value;
  if (typeof value === "number") return value === 1;
  if (typeof value === "string") return boolWord(value.trim()) === true;
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

/** The filters expressions accept, one line each; helpers.ts registers each as a helper of the same name. */
export const FILTERS: Readonly<Record<string, Filter>> = {
  /** x | default(y[, true]): y when x is undefined (or, with true, falsy). `d` is the short name. */
  default: defaultFilter,
  d: defaultFilter,
  /** true for true, 1, "yes", "on", "true", "1", "y" (any case); false otherwise. */
  bool,
  /** whole number from a number, boolean or numeric text; 0 (or the argument) otherwise. */
  int,
  /** number from text; 0 when not numeric. */
  float: (value) => (typeof value === "number" ? value : Number.parseFloat(toText(value)) || 0),
  /** the value as text; lists and dicts as JSON. */
  string: (value) => toText(value),
  /** items of a list or dict, characters of text. `count` is the same. */
  length,
  count: length,
  /** text case and surrounding whitespace. */
  lower: (value) => toText(value).toLowerCase(),
  upper: (value) => toText(value).toUpperCase(),
  trim: (value) => toText(value).trim(),
  /** list | join(', '): items as text with a separator. */
  join,
  /** text | split(','): list of parts (default separator: space). */
  split: (value, separator = " ") => toText(value).split(toText(separator)),
  /** JSON / YAML text of the value. */
  to_json: (value) => JSON.stringify(value ?? null),
  to_yaml: (value) => toYaml(value),
  /** base64 of UTF-8 text, and back. */
  b64encode: (value) => Buffer.from(toText(value), "utf8").toString("base64"),
  b64decode,
  /** hex SHA-256 of the text. */
  sha256: (value) => createHash("sha256").update(toText(value)).digest("hex"),
  /** cond | ternary(a, b): a when cond is truthy, else b. */
  ternary: (cond, a, b) => (isTruthy(cond) ? a : b),
  /** first or last item of a list or text. */
  first: (value) => (Array.isArray(value) || typeof value === "string" ? value[0] : undefined),
  last: (value) => (Array.isArray(value) || typeof value === "string" ? value[value.length - 1] : undefined),
  /** IPv4 CIDR: 10.1.2.3/24 -> network 10.1.2.0, prefix 24, netmask 255.255.255.0, ipaddr_address 10.1.2.3. */
  network,
  prefix,
  netmask,
  ipaddr_address: ipaddrAddress,
  /** cidr | nth_host(n): the n-th address of the network (10.1.2.0/24, 5 -> 10.1.2.5). */
  nth_host: nthHost,
};
