/** Ansible's filters (ansible.builtin), with the results ansible-core gives. */
import { createHash } from "node:crypto";
import { basename, dirname, extname, join as joinPath } from "node:path";
import { parse as parseYaml } from "yaml";
import { boolWord } from "../../playbook/booleans.js";
import { isPlainObject, isTruthy, ValueProblem } from "../values.js";
import { arg, attributeOf } from "./filters-jinja.js";
import type { Filter } from "./library.js";
import { pyJson, pyYaml } from "./serialize.js";
import { pyCompare, pyEqual, pyStr, pyType, tuple } from "./python.js";
import { Undefined, type Arguments } from "./runtime.js";
import { compareVersions } from "./versions.js";

function seq(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (isPlainObject(value)) return Object.keys(value);
  if (typeof value === "string") return [...value];
  throw new ValueProblem(`expected a list, got a ${pyType(value)}`);
}

function dedupe(items: readonly unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const item of items) if (!out.some((other) => pyEqual(other, item))) out.push(item);
  return out;
}

function defaultFilter(value: unknown, args: Arguments): unknown {
  const fallback = arg(args, 0, "default_value", "");
  if (value instanceof Undefined) return fallback;
  return isTruthy(arg(args, 1, "boolean", false)) && !isTruthy(value) ? fallback : value;
}

function toBool(value: unknown): boolean {
  if (typeof value === "boolean") return value;
  if (value === null || value instanceof Undefined) return false;
  if (typeof value === "number") return value === 1;
  return boolWord(pyStr(value).trim().toLowerCase()) === true;
}

function mergeDicts(base: Record<string, unknown>, extra: Record<string, unknown>, recursive: boolean, listMerge: string): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    const current = out[key];
    if (recursive && isPlainObject(current) && isPlainObject(value)) out[key] = mergeDicts(current, value, recursive, listMerge);
    else if (Array.isArray(current) && Array.isArray(value) && listMerge !== "replace") out[key] = mergeLists(current, value, listMerge);
    else out[key] = value;
  }
  return out;
}

function mergeLists(current: unknown[], value: unknown[], how: string): unknown[] {
  if (how === "append") return [...current, ...value];
  if (how === "prepend") return [...value, ...current];
  if (how === "append_rp") return [...current.filter((item) => !value.some((v) => pyEqual(v, item))), ...value];
  if (how === "prepend_rp") return [...value, ...current.filter((item) => !value.some((v) => pyEqual(v, item)))];
  if (how === "keep") return current;
  return value;
}

function combine(value: unknown, args: Arguments): Record<string, unknown> {
  const dicts = [value, ...args.positional].flat();
  const recursive = isTruthy(args.keywords["recursive"] ?? false);
  const listMerge = pyStr(args.keywords["list_merge"] ?? "replace");
  return dicts.reduce<Record<string, unknown>>((merged, dict) => {
    if (!isPlainObject(dict)) throw new ValueProblem(`combine expects dictionaries, got ${pyStr(dict)}`);
    return mergeDicts(merged, dict, recursive, listMerge);
  }, {});
}

function flatten(value: unknown, args: Arguments): unknown[] {
  const levels = arg(args, 0, "levels");
  const skipNulls = isTruthy(arg(args, 1, "skip_nulls", true));
  const walk = (items: readonly unknown[], depth: number): unknown[] =>
    items.flatMap((item) => {
      if (skipNulls && (item === null || item === "None")) return [];
      if (Array.isArray(item) && (levels === undefined || levels === null || depth < Number(levels))) return walk(item, depth + 1);
      return [item];
    });
  return walk(seq(value), 0);
}

function regexOf(pattern: unknown, args: Arguments): RegExp {
  let flags = "";
  if (isTruthy(args.keywords["ignorecase"] ?? false)) flags += "i";
  if (isTruthy(args.keywords["multiline"] ?? false)) flags += "m";
  try {
    return new RegExp(pythonRegex(pyStr(pattern)), flags);
  } catch (error) {
    throw new ValueProblem(`invalid regular expression '${pyStr(pattern)}': ${(error as Error).message}`);
  }
}

/** Python's (?P<name>...) groups and \A/\Z anchors in JavaScript's spelling. */
function pythonRegex(pattern: string): string {
  return pattern.replace(/\(\?P</g, "(?<").replace(/\(\?P=(\w+)\)/g, "\\k<$1>").replace(/\\A/g, "^").replace(/\\Z/g, "$");
}

function regexReplace(value: unknown, args: Arguments): string {
  const regex = regexOf(arg(args, 0, "pattern", ""), args);
  const replacement = pyStr(arg(args, 1, "replacement", "")).replace(/\$/g, "$$$$").replace(/\\(\d+)/g, "$$$1").replace(/\\g<(\w+)>/g, (_, g: string) => (/^\d+$/.test(g) ? `$${g}` : `$<${g}>`));
  const count = Number(arg(args, 2, "count", 0));
  const text = pyStr(value);
  if (count === 0) return text.replace(new RegExp(regex.source, `${regex.flags}g`), replacement);
  let done = 0;
  return text.replace(new RegExp(regex.source, `${regex.flags}g`), (...match) => (done++ < count ? match[0].replace(regex, replacement) : match[0]));
}

function regexSearch(value: unknown, args: Arguments): unknown {
  const regex = regexOf(args.positional[0], args);
  const match = regex.exec(pyStr(value));
  if (match === null) return null;
  const groups = args.positional.slice(1);
  if (groups.length === 0) return match[0];
  return groups.map((group) => {
    const text = pyStr(group);
    if (/^\\\d+$/.test(text)) return match[Number(text.slice(1))] ?? null;
    if (/^\\g<\w+>$/.test(text)) return match.groups?.[text.slice(3, -1)] ?? null;
    throw new ValueProblem("Unknown argument", "groups are written '\\1' or '\\g<name>'");
  });
}

function regexFindall(value: unknown, args: Arguments): unknown[] {
  const regex = regexOf(args.positional[0], args);
  return [...pyStr(value).matchAll(new RegExp(regex.source, `${regex.flags}g`))].map((match) => {
    if (match.length === 1) return match[0];
    if (match.length === 2) return match[1] ?? "";
    return match.slice(1).map((group) => group ?? "");
  });
}

function dict2items(value: unknown, args: Arguments): unknown[] {
  if (!isPlainObject(value)) throw new ValueProblem(`dict2items requires a dictionary, got ${pyType(value)} instead.`);
  const keyName = pyStr(args.keywords["key_name"] ?? "key");
  const valueName = pyStr(args.keywords["value_name"] ?? "value");
  return Object.entries(value).map(([key, item]) => ({ [keyName]: key, [valueName]: item }));
}

function items2dict(value: unknown, args: Arguments): Record<string, unknown> {
  const keyName = pyStr(args.keywords["key_name"] ?? "key");
  const valueName = pyStr(args.keywords["value_name"] ?? "value");
  return Object.fromEntries(seq(value).map((item) => [pyStr(attributeOf(item, keyName)), attributeOf(item, valueName)]));
}

function product(value: unknown, args: Arguments): unknown[] {
  const lists = [seq(value), ...args.positional.map(seq)];
  return lists.reduce<unknown[][]>((acc, items) => acc.flatMap((prefix) => items.map((item) => [...prefix, item])), [[]]).map(tuple);
}

function zip(value: unknown, args: Arguments, longest: boolean): unknown[] {
  const lists = [seq(value), ...args.positional.map(seq)];
  const length = longest ? Math.max(...lists.map((l) => l.length)) : Math.min(...lists.map((l) => l.length));
  const fill = args.keywords["fillvalue"] ?? null;
  return Array.from({ length }, (_, i) => tuple(lists.map((l) => (i < l.length ? l[i] : fill))));
}

function hashOf(value: unknown, algorithm: unknown): string {
  const name = pyStr(algorithm ?? "sha1");
  try {
    return createHash(name).update(pyStr(value)).digest("hex");
  } catch {
    throw new ValueProblem(`unknown hash algorithm '${name}'`, "sha1, sha256, sha512, md5");
  }
}

/** POSIX shell quoting, as Python's shlex.quote. */
export function shellQuote(value: unknown): string {
  const text = pyStr(value === null ? "" : value);
  if (text === "") return "''";
  if (/^[\w@%+=:,./-]+$/.test(text)) return text;
  return `'${text.replace(/'/g, `'"'"'`)}'`;
}

function mandatory(value: unknown, args: Arguments): unknown {
  if (value instanceof Undefined) throw new ValueProblem(pyStr(args.positional[0] ?? `Mandatory variable ${value.description} not defined.`));
  return value;
}

function extract(value: unknown, args: Arguments): unknown {
  const [container, morekeys] = args.positional;
  let found = attributeOf(container, pyStr(value) === value ? value : pyStr(value));
  if (isPlainObject(container) && Object.hasOwn(container, pyStr(value))) found = container[pyStr(value)];
  for (const key of morekeys === undefined ? [] : Array.isArray(morekeys) ? morekeys : [morekeys]) {
    found = isPlainObject(found) && Object.hasOwn(found, pyStr(key)) ? found[pyStr(key)] : Array.isArray(found) ? found[Number(key)] : new Undefined(`key '${pyStr(key)}'`);
  }
  return found;
}

export const ANSIBLE_FILTERS: Readonly<Record<string, Filter>> = {
  default: defaultFilter,
  d: defaultFilter,
  mandatory,
  bool: toBool,
  ternary: (value, args) => (value === null && args.positional.length > 2 ? args.positional[2] : isTruthy(value) ? args.positional[0] : args.positional[1]),
  type_debug: (value) => pyType(value),
  to_json: (value, args) => pyJson(value, { indent: args.keywords["indent"] as number | undefined, sortKeys: isTruthy(args.keywords["sort_keys"] ?? false) }),
  to_nice_json: (value, args) => pyJson(value, { indent: Number(args.keywords["indent"] ?? 4), sortKeys: isTruthy(args.keywords["sort_keys"] ?? true) }),
  from_json: (value) => JSON.parse(pyStr(value)) as unknown,
  to_yaml: (value, args) => pyYaml(value, { indent: Number(args.keywords["indent"] ?? 2), flow: true }),
  to_nice_yaml: (value, args) => pyYaml(value, { indent: Number(args.keywords["indent"] ?? 4), flow: false }),
  from_yaml: (value) => parseYaml(pyStr(value)) as unknown,
  regex_replace: regexReplace,
  regex_search: regexSearch,
  regex_findall: regexFindall,
  regex_escape: (value) => pyStr(value).replace(/[^A-Za-z0-9_]/g, "\\$&"),
  combine,
  dict2items,
  items2dict,
  flatten,
  union: (value, args) => dedupe([...seq(value), ...seq(args.positional[0])]),
  intersect: (value, args) => dedupe(seq(value).filter((item) => seq(args.positional[0]).some((other) => pyEqual(other, item)))),
  difference: (value, args) => dedupe(seq(value).filter((item) => !seq(args.positional[0]).some((other) => pyEqual(other, item)))),
  symmetric_difference: (value, args) => {
    const a = seq(value);
    const b = seq(args.positional[0]);
    return dedupe([...a.filter((x) => !b.some((y) => pyEqual(x, y))), ...b.filter((y) => !a.some((x) => pyEqual(x, y)))]);
  },
  zip: (value, args) => zip(value, args, false),
  zip_longest: (value, args) => zip(value, args, true),
  product,
  extract,
  b64encode: (value) => Buffer.from(pyStr(value), "utf8").toString("base64"),
  b64decode: (value) => Buffer.from(pyStr(value), "base64").toString("utf8"),
  hash: (value, args) => hashOf(value, args.positional[0]),
  checksum: (value) => hashOf(value, "sha1"),
  sha1: (value) => hashOf(value, "sha1"),
  md5: (value) => hashOf(value, "md5"),
  basename: (value) => basename(pyStr(value)),
  dirname: (value) => (pyStr(value).endsWith("/") ? pyStr(value).slice(0, -1) : dirname(pyStr(value)) === "." && !pyStr(value).startsWith(".") ? "" : dirname(pyStr(value))),
  splitext: (value) => {
    const text = pyStr(value);
    const ext = extname(text);
    return tuple([text.slice(0, text.length - ext.length), ext]);
  },
  path_join: (value) => joinPath(...seq(value).map(pyStr)),
  quote: shellQuote,
  split: (value, args) => (args.positional[0] === undefined ? pyStr(value).split(/\s+/).filter((s) => s !== "") : pyStr(value).split(pyStr(args.positional[0]))),
  subelements: (value, args) => {
    const key = pyStr(args.positional[0]);
    return seq(value).flatMap((item) => seq(attributeOf(item, key)).map((sub) => tuple([item, sub])));
  },
  comment: (value) => pyStr(value).split("\n").map((line) => `# ${line}`.trimEnd()).join("\n").replace(/^/, "#\n").concat("\n#"),
  sort_versions: (value) => [...seq(value)].sort((a, b) => (compareVersions(pyStr(a), pyStr(b), "lt") ? -1 : pyCompare("<", a, b) === 0 ? 0 : 1)),
};
