/** Jinja2's own filters, with Python's results (Ansible's additions are in filters-ansible.ts). */
import { isPlainObject, isTruthy, ValueProblem } from "../values.js";
import type { Filter, Test } from "./library.js";
import { pySplit, replaceText } from "./methods.js";
import { pyCompare, pyEqual, pyRepr, pyStr, tuple } from "./python.js";
import { Undefined, type Arguments } from "./runtime.js";

function list(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (typeof value === "string") return [...value];
  if (isPlainObject(value)) return Object.keys(value);
  throw new ValueProblem(`a ${pyStr(typeof value)} is not iterable`);
}

/** attribute='a.b' or an index: Jinja's environment.getitem on a path. */
export function attributeOf(item: unknown, path: unknown): unknown {
  let value = item;
  for (const part of typeof path === "number" ? [path] : String(path).split(".")) {
    if (Array.isArray(value) && /^\d+$/.test(String(part))) value = value[Number(part)];
    else if (isPlainObject(value) && Object.hasOwn(value, String(part))) value = value[String(part)];
    else return new Undefined(`attribute '${String(path)}'`);
  }
  return value;
}

/** A filter's argument by position or keyword, as Python binds it. */
export function arg(args: Arguments, index: number, name: string, fallback?: unknown): unknown {
  if (Object.hasOwn(args.keywords, name)) return args.keywords[name];
  return args.positional.length > index ? args.positional[index] : fallback;
}

function sortKey(item: unknown, attribute: unknown, caseSensitive: boolean): unknown {
  const value = attribute === undefined || attribute === null ? item : attributeOf(item, attribute);
  return !caseSensitive && typeof value === "string" ? value.toLowerCase() : value;
}

function sort(value: unknown, args: Arguments): unknown[] {
  const reverse = isTruthy(arg(args, 0, "reverse", false));
  const caseSensitive = isTruthy(arg(args, 1, "case_sensitive", false));
  const attribute = arg(args, 2, "attribute");
  const sorted = [...list(value)].sort((a, b) => pyCompare("<", sortKey(a, attribute, caseSensitive), sortKey(b, attribute, caseSensitive)));
  return reverse ? sorted.reverse() : sorted;
}

function unique(value: unknown, args: Arguments): unknown[] {
  const caseSensitive = isTruthy(arg(args, 0, "case_sensitive", false));
  const attribute = arg(args, 1, "attribute");
  const seen: unknown[] = [];
  const out: unknown[] = [];
  for (const item of list(value)) {
    const key = sortKey(item, attribute, caseSensitive);
    if (seen.some((other) => pyEqual(other, key))) continue;
    seen.push(key);
    out.push(item);
  }
  return out;
}

function extreme(value: unknown, args: Arguments, sign: 1 | -1): unknown {
  const items = list(value);
  const attribute = arg(args, 1, "attribute");
  const caseSensitive = isTruthy(arg(args, 0, "case_sensitive", false));
  if (items.length === 0) return new Undefined("the max/min of an empty sequence");
  return items.reduce((best, item) => (sign * pyCompare("<", sortKey(item, attribute, caseSensitive), sortKey(best, attribute, caseSensitive)) > 0 ? item : best));
}

function join(value: unknown, args: Arguments): string {
  const attribute = arg(args, 1, "attribute");
  return list(value).map((item) => pyStr(attribute === undefined ? item : attributeOf(item, attribute))).join(pyStr(arg(args, 0, "d", "")));
}

function indent(value: unknown, args: Arguments): string {
  const width = arg(args, 0, "width", 4);
  const first = isTruthy(arg(args, 1, "first", false));
  const blank = isTruthy(arg(args, 2, "blank", false));
  const pad = typeof width === "string" ? width : " ".repeat(Number(width));
  return pyStr(value).split("\n").map((line, i) => ((i === 0 && !first) || (line === "" && !blank) ? line : pad + line)).join("\n");
}

function dictsort(value: unknown, args: Arguments): unknown[] {
  if (!isPlainObject(value)) throw new ValueProblem("dictsort needs a dict");
  const byValue = arg(args, 1, "by", "key") === "value";
  const caseSensitive = isTruthy(arg(args, 0, "case_sensitive", false));
  const sorted = Object.entries(value).map(tuple).sort((a, b) => pyCompare("<", sortKey(byValue ? a[1] : a[0], undefined, caseSensitive), sortKey(byValue ? b[1] : b[0], undefined, caseSensitive)));
  return isTruthy(arg(args, 2, "reverse", false)) ? sorted.reverse() : sorted;
}

function toInt(value: unknown, args: Arguments): number {
  const fallback = arg(args, 0, "default", 0);
  const base = Number(arg(args, 1, "base", 10));
  if (typeof value === "number") return Math.trunc(value);
  if (typeof value === "boolean") return value ? 1 : 0;
  const text = pyStr(value).trim().replace(/_/g, "");
  const parsed = base === 10 ? Number(text) : parseInt(text.replace(/^0[xob]/i, ""), base);
  return Number.isNaN(parsed) || text === "" ? (fallback as number) : Math.trunc(parsed);
}

function toFloat(value: unknown, args: Arguments): number {
  const parsed = typeof value === "number" ? value : Number(pyStr(value).trim());
  return Number.isNaN(parsed) ? (arg(args, 0, "default", 0) as number) : parsed;
}

function round(value: unknown, args: Arguments): number {
  const precision = Number(arg(args, 0, "precision", 0));
  const method = arg(args, 1, "method", "common");
  const factor = 10 ** precision;
  const scaled = Number(value) * factor;
  const rounded = method === "ceil" ? Math.ceil(scaled) : method === "floor" ? Math.floor(scaled) : Math.sign(scaled) * Math.round(Math.abs(scaled));
  return rounded / factor;
}

/** select/reject/selectattr/rejectattr and map, which call tests and filters by name. */
export function sequenceFilters(filters: () => Readonly<Record<string, Filter>>, tests: Readonly<Record<string, Test>>): Record<string, Filter> {
  const testOf = (name: unknown): Test => {
    const test = Object.hasOwn(tests, String(name)) ? tests[String(name)] : undefined;
    if (test === undefined) throw new ValueProblem(`unknown test '${String(name)}'`);
    return test;
  };
  const choose = (keep: boolean, byAttribute: boolean): Filter => (value, args) => {
    const [first, second, ...rest] = args.positional;
    const attribute = byAttribute ? first : undefined;
    const testName = byAttribute ? second : first;
    const testArgs = { positional: byAttribute ? rest : args.positional.slice(1), keywords: {} };
    return list(value).filter((item) => {
      const subject = byAttribute ? attributeOf(item, attribute) : item;
      const verdict = testName === undefined ? isTruthy(subject instanceof Undefined ? false : subject) : testOf(testName)(subject, testArgs);
      return verdict === keep;
    });
  };
  const map: Filter = (value, args) => {
    if (Object.hasOwn(args.keywords, "attribute")) {
      return list(value).map((item) => {
        const found = attributeOf(item, args.keywords["attribute"]);
        if (found instanceof Undefined && Object.hasOwn(args.keywords, "default")) return args.keywords["default"];
        return found;
      });
    }
    const [name, ...rest] = args.positional;
    const filter = Object.hasOwn(filters(), String(name)) ? filters()[String(name)] : undefined;
    if (filter === undefined) throw new ValueProblem(`unknown filter '${String(name)}' in map()`);
    return list(value).map((item) => filter(item, { positional: rest, keywords: args.keywords }));
  };
  return { select: choose(true, false), reject: choose(false, false), selectattr: choose(true, true), rejectattr: choose(false, true), map };
}

export const JINJA_FILTERS: Readonly<Record<string, Filter>> = {
  abs: (value) => Math.abs(Number(value)),
  attr: (value, args) => attributeOf(value, args.positional[0]),
  batch: (value, args) => {
    const size = Number(args.positional[0]);
    const items = list(value);
    const out: unknown[][] = [];
    for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
    const fill = args.positional[1];
    const last = out[out.length - 1];
    if (fill !== undefined && last) while (last.length < size) last.push(fill);
    return out;
  },
  capitalize: (value) => pyStr(value).charAt(0).toUpperCase() + pyStr(value).slice(1).toLowerCase(),
  center: (value, args) => {
    const text = pyStr(value);
    const width = Number(arg(args, 0, "width", 80));
    const left = Math.floor((width - text.length) / 2);
    return width <= text.length ? text : " ".repeat(left) + text + " ".repeat(width - text.length - left);
  },
  count: (value) => list(value).length,
  dictsort,
  first: (value) => list(value)[0] ?? new Undefined("first item of an empty sequence"),
  float: toFloat,
  indent,
  int: toInt,
  items: (value) => (isPlainObject(value) ? Object.entries(value).map(tuple) : []),
  join,
  last: (value) => {
    const items = list(value);
    return items.length === 0 ? new Undefined("last item of an empty sequence") : items[items.length - 1];
  },
  length: (value) => list(value).length,
  list: (value) => [...list(value)],
  lower: (value) => pyStr(value).toLowerCase(),
  max: (value, args) => extreme(value, args, 1),
  min: (value, args) => extreme(value, args, -1),
  pprint: (value) => pyRepr(value),
  replace: (value, args) => replaceText(pyStr(value), pyStr(args.positional[0]), pyStr(args.positional[1]), args.positional[2]),
  reverse: (value) => (typeof value === "string" ? [...value].reverse().join("") : [...list(value)].reverse()),
  round,
  safe: (value) => value,
  sort,
  string: (value) => pyStr(value),
  sum: (value, args) => {
    const attribute = arg(args, 0, "attribute");
    const start = arg(args, 1, "start", 0);
    return list(value).reduce<number>((total, item) => total + Number(attribute === undefined ? item : attributeOf(item, attribute)), Number(start));
  },
  title: (value) => pyStr(value).toLowerCase().replace(/(^|[^A-Za-z0-9'])([a-z])/g, (_, before: string, letter: string) => before + letter.toUpperCase()),
  tojson: (value) => JSON.stringify(value),
  trim: (value, args) => {
    const chars = args.positional[0];
    const text = pyStr(value);
    return chars === undefined ? text.trim() : text.replace(new RegExp(`^[${escapeClass(pyStr(chars))}]+|[${escapeClass(pyStr(chars))}]+$`, "g"), "");
  },
  truncate: (value, args) => {
    const text = pyStr(value);
    const length = Number(arg(args, 0, "length", 255));
    const end = pyStr(arg(args, 2, "end", "..."));
    if (text.length <= length + Number(arg(args, 4, "leeway", 5))) return text;
    return text.slice(0, length - end.length).replace(/\s+\S*$/, "") + end;
  },
  unique,
  upper: (value) => pyStr(value).toUpperCase(),
  wordcount: (value) => pySplit(pyStr(value)).length,
  urlencode: (value) => encodeURIComponent(pyStr(value)).replace(/%2F/g, "/"),
};

function escapeClass(chars: string): string {
  return chars.replace(/[\\\]^-]/g, "\\$&");
}
