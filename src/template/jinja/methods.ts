/**
 * Python methods of str, list and dict that Ansible templates call (`name.upper()`,
 * `line.split(',')`, `d.items()`, `'{}:{}'.format(h, p)`), by name: nothing of JavaScript's
 * prototypes is reachable from a template.
 */
import { isPlainObject, ValueProblem } from "../values.js";
import { pyStr, tuple } from "./python.js";
import { Callable, type Arguments } from "./runtime.js";

type Method<T> = (self: T, args: readonly unknown[]) => unknown;

function text(value: unknown): string {
  if (typeof value !== "string") throw new ValueProblem(`expected a string, got ${pyStr(value)}`);
  return value;
}

function strip(self: string, chars: unknown, side: "both" | "left" | "right"): string {
  const set = chars === undefined || chars === null ? " \t\n\r\f\v" : text(chars);
  let start = 0;
  let end = self.length;
  if (side !== "right") while (start < end && set.includes(self[start] ?? "")) start++;
  if (side !== "left") while (end > start && set.includes(self[end - 1] ?? "")) end--;
  return self.slice(start, end);
}

/** str.split: on runs of whitespace without a separator, on each separator with one. */
export function pySplit(self: string, separator?: unknown, limit?: unknown): string[] {
  const max = typeof limit === "number" && limit >= 0 ? limit : Infinity;
  if (separator === undefined || separator === null) {
    const parts = self.trim().split(/\s+/).filter((part) => part !== "");
    if (parts.length <= max + 1) return parts;
    return [...parts.slice(0, max), parts.slice(max).join(" ")];
  }
  const sep = text(separator);
  if (sep === "") throw new ValueProblem("empty separator");
  const parts = self.split(sep);
  return parts.length <= max + 1 ? parts : [...parts.slice(0, max), parts.slice(max).join(sep)];
}

function format(self: string, args: Arguments): string {
  let next = 0;
  return self.replace(/\{([^{}]*)\}|\{\{|\}\}/g, (match, field: string | undefined) => {
    if (match === "{{") return "{";
    if (match === "}}") return "}";
    const name = (field ?? "").split(":")[0] ?? "";
    if (name === "") return pyStr(args.positional[next++]);
    if (/^\d+$/.test(name)) return pyStr(args.positional[Number(name)]);
    return pyStr(args.keywords[name]);
  });
}

const STRING_METHODS: Readonly<Record<string, Method<string>>> = {
  upper: (s) => s.toUpperCase(),
  lower: (s) => s.toLowerCase(),
  title: (s) => s.toLowerCase().replace(/(^|[^A-Za-z])([a-z])/g, (_, before: string, letter: string) => before + letter.toUpperCase()),
  capitalize: (s) => s.charAt(0).toUpperCase() + s.slice(1).toLowerCase(),
  strip: (s, [chars]) => strip(s, chars, "both"),
  lstrip: (s, [chars]) => strip(s, chars, "left"),
  rstrip: (s, [chars]) => strip(s, chars, "right"),
  split: (s, [sep, limit]) => pySplit(s, sep, limit),
  splitlines: (s) => s.split(/\r?\n/).filter((line, i, all) => !(i === all.length - 1 && line === "")),
  startswith: (s, [prefix]) => (Array.isArray(prefix) ? prefix.some((p) => s.startsWith(text(p))) : s.startsWith(text(prefix))),
  endswith: (s, [suffix]) => (Array.isArray(suffix) ? suffix.some((p) => s.endsWith(text(p))) : s.endsWith(text(suffix))),
  replace: (s, [old, replacement, count]) => replaceText(s, text(old), text(replacement), count),
  find: (s, [sub]) => s.indexOf(text(sub)),
  count: (s, [sub]) => s.split(text(sub)).length - 1,
  join: (s, [items]) => (Array.isArray(items) ? items.map((item) => text(item)).join(s) : text(items)),
  isdigit: (s) => /^\d+$/.test(s),
  isalpha: (s) => /^[A-Za-z]+$/.test(s),
  zfill: (s, [width]) => s.padStart(Number(width), "0"),
};

export function replaceText(s: string, old: string, replacement: string, count?: unknown): string {
  const limit = typeof count === "number" && count >= 0 ? count : Infinity;
  const parts = s.split(old);
  if (parts.length - 1 <= limit) return parts.join(replacement);
  return parts.slice(0, limit + 1).join(replacement) + old + parts.slice(limit + 1).join(old);
}

const LIST_METHODS: Readonly<Record<string, Method<unknown[]>>> = {
  index: (list, [item]) => list.findIndex((element) => pyStr(element) === pyStr(item)),
  count: (list, [item]) => list.filter((element) => pyStr(element) === pyStr(item)).length,
  // Jinja2 lets templates grow lists ({% set _ = found.append(x) %}): Ansible roles rely on it.
  append: (list, [item]) => {
    list.push(item);
    return null;
  },
  extend: (list, [items]) => {
    if (Array.isArray(items)) list.push(...(items as unknown[]));
    return null;
  },
};

const DICT_METHODS: Readonly<Record<string, Method<Record<string, unknown>>>> = {
  items: (dict) => Object.entries(dict).map(tuple),
  keys: (dict) => Object.keys(dict),
  values: (dict) => Object.values(dict),
  get: (dict, [key, fallback]) => (Object.hasOwn(dict, String(key)) ? dict[String(key)] : (fallback ?? null)),
};

/** The bound method `name` of `target`, or undefined when its type has none by that name. */
export function methodOf(target: unknown, name: string): Callable | undefined {
  if (typeof target === "string") {
    if (name === "format") return new Callable(name, (args) => format(target, args));
    return bind(STRING_METHODS, target, name);
  }
  if (Array.isArray(target)) return bind(LIST_METHODS, target, name);
  if (isPlainObject(target)) return bind(DICT_METHODS, target, name);
  return undefined;
}

function bind<T>(methods: Readonly<Record<string, Method<T>>>, self: T, name: string): Callable | undefined {
  if (!Object.hasOwn(methods, name)) return undefined;
  const method = methods[name] as Method<T>;
  return new Callable(name, (args) => method(self, args.positional));
}
