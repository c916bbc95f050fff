/**
 * The lookups behind Ansible's old loops (`with_nested`, `with_together`, `with_subelements`,
 * `with_sequence`, `with_first_found` with paths), as Ansible 2.14's lookup plugins compute them;
 * also reachable as lookup()/query() in templates.
 */
import { join } from "node:path";
import { isPlainObject, isTruthy, ValueProblem } from "../values.js";
import { pyFormat, pyStr } from "./python.js";
import type { Arguments } from "./runtime.js";

export interface LoopLookupContext {
  readonly vars: Readonly<Record<string, unknown>>;
  /** The folder relative names are looked for in first: files, templates or vars (Ansible's _subdir). */
  readonly subdir?: string | undefined;
  readonly findFile: (name: string, subdir: string) => string | undefined;
}

type LoopLookup = (terms: readonly unknown[], args: Arguments, ctx: LoopLookupContext) => unknown[];

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}

/** with_nested: every combination, the first list varying slowest. */
function nested(terms: readonly unknown[]): unknown[] {
  if (terms.length === 0) throw new ValueProblem("with_nested requires at least one element in the nested list");
  let combos: unknown[][] = [[]];
  for (const term of terms) combos = combos.flatMap((prefix) => asList(term).map((item) => [...prefix, item]));
  return combos;
}

/** with_together: the lists side by side, the short ones padded with None (null). */
function together(terms: readonly unknown[]): unknown[] {
  if (terms.length === 0) throw new ValueProblem("with_together requires at least one element in each list");
  const lists = terms.map(asList);
  const longest = Math.max(...lists.map((list) => list.length));
  return Array.from({ length: longest }, (_, i) => lists.map((list) => (i < list.length ? list[i] : null)));
}

/** with_subelements: [list of dicts, "key.path", {skip_missing}] -> [dict without the key, each sub-item]. */
function subelements(terms: readonly unknown[]): unknown[] {
  const [source, path, flags] = terms;
  if (typeof path !== "string" || terms.length > 3) throw new ValueProblem("subelements lookup expects a list of two or three items, second a key name");
  const skipMissing = isPlainObject(flags) && isTruthy(flags["skip_missing"] ?? false);
  if (isPlainObject(source) && source["skipped"] === true) return [];
  const elements = isPlainObject(source) ? Object.values(source) : asList(source);
  const keys = path.split(".");
  const out: unknown[] = [];
  for (const element of elements) {
    if (!isPlainObject(element)) throw new ValueProblem(`subelements lookup expects a dictionary, got '${pyStr(element)}'`);
    if (element["skipped"] !== undefined && element["skipped"] !== false) continue;
    const sublist = takeSublist(element, keys, skipMissing);
    for (const item of sublist.items) out.push([sublist.element, item]);
  }
  return out;
}

/** Ansible pops the last key from the element it yields, so `item.0` lacks the list. */
function takeSublist(element: Record<string, unknown>, keys: readonly string[], skipMissing: boolean): { element: unknown; items: unknown[] } {
  const copy = structuredClone(element);
  let holder: Record<string, unknown> = copy;
  for (const [index, key] of keys.entries()) {
    if (!Object.hasOwn(holder, key)) {
      if (skipMissing) return { element: copy, items: [] };
      throw new ValueProblem(`could not find '${key}' key in iterated item '${pyStr(holder)}'`);
    }
    const value = holder[key];
    if (index < keys.length - 1) {
      if (!isPlainObject(value)) {
        if (skipMissing) return { element: copy, items: [] };
        throw new ValueProblem(`the key ${key} should point to a dictionary, got '${pyStr(value)}'`);
      }
      holder = value;
    } else {
      if (!Array.isArray(value)) throw new ValueProblem(`the key ${key} should point to a list, got '${pyStr(value)}'`);
      delete holder[key];
      return { element: copy, items: value };
    }
  }
  return { element: copy, items: [] };
}

interface SequenceSpec {
  start: number;
  end?: number | undefined;
  count?: number | undefined;
  stride: number;
  format: string;
}

const SHORTCUT = /^(?:(-?\d+|0x[0-9a-f]+|0[0-7]*)-)?(-?\d+|0x[0-9a-f]+|0[0-7]*)(?:\/(-?\d+|0x[0-9a-f]+|0[0-7]*))?(?::(.+))?$/i;

function sequenceNumber(text: string): number {
  const value = /^0x/i.test(text) ? parseInt(text, 16) : /^0[0-7]+$/.test(text) ? parseInt(text, 8) : Number(text);
  if (!Number.isInteger(value)) throw new ValueProblem(`can't parse ${text} as an integer in sequence`);
  return value;
}

/** "start=1 end=5 stride=2 format=web%02d", "count=3", or the shortcut "[start-]end[/stride][:format]". */
function parseSequence(term: string): SequenceSpec {
  const spec: SequenceSpec = { start: 1, stride: 1, format: "%d" };
  const shortcut = term.includes("=") ? undefined : SHORTCUT.exec(term.trim());
  if (shortcut) {
    if (shortcut[1] !== undefined) spec.start = sequenceNumber(shortcut[1]);
    spec.end = sequenceNumber(shortcut[2] ?? "");
    if (shortcut[3] !== undefined) spec.stride = sequenceNumber(shortcut[3]);
    if (shortcut[4] !== undefined) spec.format = shortcut[4];
    return spec;
  }
  for (const word of term.trim().split(/\s+/)) {
    const [key, value = ""] = word.split(/=(.*)/s);
    if (key === "start" || key === "end" || key === "count" || key === "stride") spec[key] = sequenceNumber(value);
    else if (key === "format") spec.format = value;
    else throw new ValueProblem(`unrecognized arguments to with_sequence: ${key}`);
  }
  return spec;
}

function sequence(terms: readonly unknown[]): unknown[] {
  return terms.flatMap((term) => {
    const spec = parseSequence(pyStr(term));
    if (spec.count !== undefined && spec.end !== undefined) throw new ValueProblem("can't specify both count and end in with_sequence");
    if (spec.count === undefined && spec.end === undefined) throw new ValueProblem("must specify count or end in with_sequence");
    if (spec.count === 0) return [];
    // Ansible's own arithmetic, quirks included (start=5 count=2 stride=-1 gives 5, 4, 3, 2)
    const end = spec.count !== undefined ? spec.start + spec.count * spec.stride - 1 : (spec.end as number);
    if (spec.stride > 0 && end < spec.start) throw new ValueProblem("to count backwards make stride negative");
    if (spec.stride < 0 && end > spec.start) throw new ValueProblem("to count forward don't make stride negative");
    if (spec.stride === 0) return [];
    const out: string[] = [];
    for (let i = spec.start; spec.stride > 0 ? i <= end : i >= end; i += spec.stride) out.push(pyFormat(spec.format, i));
    return out;
  });
}

function splitNames(value: unknown): string[] {
  return asList(value).flatMap((name) => (typeof name === "string" ? name.split(/[,;]/) : [pyStr(name)])).map((name) => name.trim()).filter((name) => name !== "");
}

/** with_first_found: names, or {files, paths, skip}; relative names are looked for in the task's subdir first. */
function firstFound(terms: readonly unknown[], args: Arguments, ctx: LoopLookupContext): unknown[] {
  let skip = isTruthy(args.keywords["skip"] ?? false);
  const candidates: string[] = [];
  const options = terms.filter(isPlainObject);
  const plain = terms.filter((term) => !isPlainObject(term)).flatMap(asList).map(pyStr);
  for (const option of options) {
    const files = splitNames(option["files"] ?? option["file"]);
    const paths = splitNames(option["paths"] ?? []);
    if (option["skip"] !== undefined) skip = isTruthy(option["skip"]);
    candidates.push(...(paths.length === 0 ? files : paths.flatMap((path) => files.map((file) => join(path, file)))));
  }
  candidates.push(...plain);
  for (const name of candidates) {
    const found = ctx.findFile(name, ctx.subdir ?? "files");
    if (found !== undefined) return [found];
  }
  if (skip) return [];
  throw new ValueProblem("No file was found when using first_found.", `looked for: ${candidates.join(", ")}`);
}

export const LOOP_LOOKUPS: Readonly<Record<string, LoopLookup>> = {
  nested: (terms) => nested(terms),
  together: (terms) => together(terms),
  subelements: (terms) => subelements(terms),
  sequence: (terms) => sequence(terms),
  first_found: firstFound,
};
