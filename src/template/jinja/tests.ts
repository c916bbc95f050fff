/** Jinja2's and Ansible's tests: `x is defined`, `v is version('1.2', '>=')`, `r is failed`... */
import { existsSync, lstatSync, statSync } from "node:fs";
import { isAbsolute } from "node:path";
import { renderReads } from "../reads.js";
import { isPlainObject, isTruthy, ValueProblem } from "../values.js";
import type { Test } from "./library.js";
import { pyCompare, pyContains, pyEqual, pyStr } from "./python.js";
import { Callable, Undefined, type Arguments } from "./runtime.js";
import { compareVersions } from "./versions.js";

function regexTest(kind: "match" | "search" | "regex"): Test {
  return (value, args: Arguments) => {
    const flags = (isTruthy(args.keywords["ignorecase"] ?? false) ? "i" : "") + (isTruthy(args.keywords["multiline"] ?? false) ? "m" : "");
    const pattern = pyStr(args.positional[0]).replace(/\(\?P</g, "(?<");
    const mode = kind === "regex" ? pyStr(args.keywords["match_type"] ?? "search") : kind;
    return new RegExp(mode === "match" ? `^(?:${pattern})` : mode === "fullmatch" ? `^(?:${pattern})$` : pattern, flags).test(pyStr(value));
  };
}

function resultFlag(flag: "failed" | "changed" | "skipped" | "unreachable"): Test {
  return (value) => {
    if (!isPlainObject(value)) throw new ValueProblem(`'is ${flag}' needs a registered result (a dictionary), got ${pyStr(value)}`, "register: the task's result first");
    return isTruthy(value[flag] ?? false);
  };
}

function list(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  throw new ValueProblem("expected a list");
}

const path = (check: (p: string) => boolean): Test => (value) => {
  renderReads.controller++;
  return check(pyStr(value));
};

export const TESTS: Readonly<Record<string, Test>> = {
  defined: (value) => !(value instanceof Undefined),
  undefined: (value) => value instanceof Undefined,
  none: (value) => value === null,
  boolean: (value) => typeof value === "boolean",
  true: (value) => value === true,
  false: (value) => value === false,
  integer: (value) => typeof value === "number" && Number.isInteger(value),
  float: (value) => typeof value === "number" && !Number.isInteger(value),
  number: (value) => typeof value === "number",
  string: (value) => typeof value === "string",
  mapping: (value) => isPlainObject(value),
  sequence: (value) => Array.isArray(value) || typeof value === "string" || isPlainObject(value),
  iterable: (value) => Array.isArray(value) || typeof value === "string" || isPlainObject(value),
  callable: (value) => value instanceof Callable,
  lower: (value) => pyStr(value) === pyStr(value).toLowerCase(),
  upper: (value) => pyStr(value) === pyStr(value).toUpperCase(),
  even: (value) => Number(value) % 2 === 0,
  odd: (value) => Math.abs(Number(value) % 2) === 1,
  divisibleby: (value, args) => Number(value) % Number(args.positional[0]) === 0,
  eq: (value, args) => pyEqual(value, args.positional[0]),
  equalto: (value, args) => pyEqual(value, args.positional[0]),
  "==": (value, args) => pyEqual(value, args.positional[0]),
  ne: (value, args) => !pyEqual(value, args.positional[0]),
  "!=": (value, args) => !pyEqual(value, args.positional[0]),
  "<": (value, args) => pyCompare("<", value, args.positional[0]) < 0,
  "<=": (value, args) => pyCompare("<=", value, args.positional[0]) <= 0,
  ">": (value, args) => pyCompare(">", value, args.positional[0]) > 0,
  ">=": (value, args) => pyCompare(">=", value, args.positional[0]) >= 0,
  lt: (value, args) => pyCompare("<", value, args.positional[0]) < 0,
  le: (value, args) => pyCompare("<=", value, args.positional[0]) <= 0,
  gt: (value, args) => pyCompare(">", value, args.positional[0]) > 0,
  ge: (value, args) => pyCompare(">=", value, args.positional[0]) >= 0,
  greaterthan: (value, args) => pyCompare(">", value, args.positional[0]) > 0,
  lessthan: (value, args) => pyCompare("<", value, args.positional[0]) < 0,
  in: (value, args) => pyContains(args.positional[0], value),
  contains: (value, args) => pyContains(value, args.positional[0]),
  sameas: (value, args) => value === args.positional[0],
  match: regexTest("match"),
  search: regexTest("search"),
  regex: regexTest("regex"),
  version: (value, args) => compareVersions(pyStr(value), pyStr(args.positional[0]), pyStr(args.positional[1] ?? args.keywords["operator"] ?? "eq")),
  version_compare: (value, args) => compareVersions(pyStr(value), pyStr(args.positional[0]), pyStr(args.positional[1] ?? args.keywords["operator"] ?? "eq")),
  subset: (value, args) => list(value).every((item) => list(args.positional[0]).some((other) => pyEqual(item, other))),
  superset: (value, args) => list(args.positional[0]).every((item) => list(value).some((other) => pyEqual(item, other))),
  issubset: (value, args) => list(value).every((item) => list(args.positional[0]).some((other) => pyEqual(item, other))),
  issuperset: (value, args) => list(args.positional[0]).every((item) => list(value).some((other) => pyEqual(item, other))),
  any: (value) => list(value).some(isTruthy),
  all: (value) => list(value).every(isTruthy),
  truthy: (value) => isTruthy(value),
  falsy: (value) => !isTruthy(value),
  failed: resultFlag("failed"),
  failure: resultFlag("failed"),
  succeeded: (value) => !resultFlag("failed")(value, { positional: [], keywords: {} }),
  success: (value) => !resultFlag("failed")(value, { positional: [], keywords: {} }),
  changed: resultFlag("changed"),
  change: resultFlag("changed"),
  skipped: resultFlag("skipped"),
  skip: resultFlag("skipped"),
  unreachable: resultFlag("unreachable"),
  reachable: (value) => !resultFlag("unreachable")(value, { positional: [], keywords: {} }),
  abs: path(isAbsolute),
  exists: path(existsSync),
  file: path((p) => existsSync(p) && statSync(p).isFile()),
  directory: path((p) => existsSync(p) && statSync(p).isDirectory()),
  link: path((p) => existsSync(p) && lstatSync(p).isSymbolicLink()),
};

export const LENIENT_TESTS: ReadonlySet<string> = new Set(["defined", "undefined"]);
