/**
 * Globals of Ansible templates: range(), namespace(), dict(), omit, and lookup()/query()/q() with
 * the lookups roles use (file, template, env, vars, first_found, fileglob, lines, pipe, items).
 * Lookups run on the controller and find relative files as Ansible does: the role's files/ or
 * templates/, then the playbook's directory.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { isPlainObject, isTruthy, ValueProblem } from "../values.js";
import { pyStr } from "./python.js";
import { LOOP_LOOKUPS } from "./loop-lookups.js";
import { renderReads } from "../reads.js";
import { Callable, Namespace, Undefined, type Arguments } from "./runtime.js";

export interface LookupContext {
  readonly vars: Readonly<Record<string, unknown>>;
  /** Renders a template file (for lookup('template')). */
  readonly renderFile: (path: string) => string;
  /** The folder first_found looks in first: a loop's task picks it (templates, vars, files). */
  readonly subdir?: string | undefined;
}

function searchPaths(vars: Readonly<Record<string, unknown>>, subdir: string): string[] {
  const dirs: string[] = [];
  const rolePath = vars["role_path"];
  if (typeof rolePath === "string") dirs.push(join(rolePath, subdir), rolePath);
  const playbookDir = vars["playbook_dir"];
  if (typeof playbookDir === "string") dirs.push(join(playbookDir, subdir), playbookDir);
  dirs.push(process.cwd());
  return dirs;
}

export function findFile(vars: Readonly<Record<string, unknown>>, name: string, subdir: string): string | undefined {
  if (isAbsolute(name)) return existsSync(name) ? name : undefined;
  return searchPaths(vars, subdir).map((dir) => resolve(dir, name)).find((path) => existsSync(path));
}

function mustFind(vars: Readonly<Record<string, unknown>>, name: string, subdir: string): string {
  const found = findFile(vars, name, subdir);
  if (found === undefined) throw new ValueProblem(`could not locate file in lookup: ${name}`, `looked in ${searchPaths(vars, subdir).join(", ")}`);
  return found;
}

function fileglob(vars: Readonly<Record<string, unknown>>, pattern: string): string[] {
  const dir = dirname(pattern);
  const base = findFile(vars, dir === "." ? "." : dir, "files") ?? dir;
  const regex = new RegExp(`^${pattern.slice(dir === "." ? 0 : dir.length + 1).replace(/[.+^${}()|\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`);
  if (!existsSync(base)) return [];
  return readdirSync(base).filter((name) => regex.test(name)).sort().map((name) => join(base, name));
}

type Lookup = (terms: readonly unknown[], args: Arguments, ctx: LookupContext) => unknown[];

const LOOKUPS: Readonly<Record<string, Lookup>> = {
  file: (terms, args, ctx) => terms.map((term) => {
    const text = readFileSync(mustFind(ctx.vars, pyStr(term), "files"), "utf8");
    return isTruthy(args.keywords["rstrip"] ?? true) ? text.replace(/\s+$/, "") : text;
  }),
  template: (terms, _args, ctx) => terms.map((term) => ctx.renderFile(mustFind(ctx.vars, pyStr(term), "templates"))),
  env: (terms, args) => terms.map((term) => process.env[pyStr(term)] ?? args.keywords["default"] ?? ""),
  vars: (terms, args, ctx) => terms.map((term) => {
    const name = pyStr(term);
    if (Object.hasOwn(ctx.vars, name)) return ctx.vars[name];
    if (Object.hasOwn(args.keywords, "default")) return args.keywords["default"];
    throw new ValueProblem(`No variable found with this name: ${name}`);
  }),
  fileglob: (terms, _args, ctx) => terms.flatMap((term) => fileglob(ctx.vars, pyStr(term))),
  lines: (terms) => terms.flatMap((term) => execFileSync("sh", ["-c", pyStr(term)], { encoding: "utf8" }).split("\n").filter((line, i, all) => i < all.length - 1 || line !== "")),
  pipe: (terms) => terms.map((term) => execFileSync("sh", ["-c", pyStr(term)], { encoding: "utf8" }).replace(/\n$/, "")),
  items: (terms) => terms.flat(),
  list: (terms) => [...terms],
  indexed_items: (terms) => terms.flat().map((item, i) => [i, item]),
  dict: (terms) => terms.flatMap((term) => (isPlainObject(term) ? Object.entries(term).map(([key, value]) => ({ key, value })) : [])),
  ...Object.fromEntries(
    Object.entries(LOOP_LOOKUPS).map(([name, lookup]) => [name, (terms: readonly unknown[], args: Arguments, ctx: LookupContext) => lookup(terms, args, { vars: ctx.vars, subdir: ctx.subdir, findFile: (file, subdir) => findFile(ctx.vars, file, subdir) })]),
  ),
};

/** Runs a lookup plugin by name on terms already rendered (a `with_<lookup>:` loop). */
export function runLookupPlugin(name: string, terms: readonly unknown[], ctx: LookupContext): unknown[] {
  return runLookup(ctx, { positional: [name, ...terms], keywords: {} });
}

function runLookup(ctx: LookupContext, args: Arguments): unknown[] {
  renderReads.controller++;
  const [name, ...terms] = args.positional;
  const plugin = pyStr(name).replace(/^ansible\.builtin\./, "");
  const lookup = Object.hasOwn(LOOKUPS, plugin) ? LOOKUPS[plugin] : undefined;
  if (lookup === undefined) throw new ValueProblem(`lookup plugin (${pyStr(name)}) not found`, `known lookups: ${Object.keys(LOOKUPS).join(", ")}`);
  return lookup(terms, args, ctx);
}

function range(args: Arguments): number[] {
  const numbers = args.positional.map(Number);
  const [start, stop, step] = numbers.length === 1 ? [0, numbers[0] ?? 0, 1] : [numbers[0] ?? 0, numbers[1] ?? 0, numbers[2] ?? 1];
  if (step === 0) throw new ValueProblem("range() arg 3 must not be zero");
  if (Math.abs((stop - start) / step) > 100_000) throw new ValueProblem("range() is limited to 100000 items");
  const out: number[] = [];
  for (let i = start; step > 0 ? i < stop : i > stop; i += step) out.push(i);
  return out;
}

export function templateGlobals(ctx: LookupContext): Readonly<Record<string, unknown>> {
  return {
    range: new Callable("range", range),
    namespace: new Callable("namespace", (args) => new Namespace(args.keywords)),
    dict: new Callable("dict", (args) => ({ ...(isPlainObject(args.positional[0]) ? args.positional[0] : {}), ...args.keywords })),
    lookup: new Callable("lookup", (args) => {
      const values = runLookup(ctx, args);
      if (isTruthy(args.keywords["wantlist"] ?? false)) return values;
      return values.length === 1 ? values[0] : values.map(pyStr).join(",");
    }),
    query: new Callable("query", (args) => runLookup(ctx, args)),
    q: new Callable("q", (args) => runLookup(ctx, args)),
    undef: new Callable("undef", (args) => new Undefined(pyStr(args.positional[0] ?? "undef()"))),
  };
}
