/**
 * A task's module and its arguments: which key is the module, free-form strings to mappings,
 * `args:` merged in, and validation against the module catalog with located issues.
 */
import { didYouMean } from "../errors.js";
import { COMMAND_MODULES, FILE_MODULES, normalizeModuleName, type ArgIssue, type ModuleCatalog } from "./catalog.js";
import { child, describeValue, fail, isMapping, truncate, type Cursor } from "./cursor.js";
import { parseKeyValues, splitWords } from "./freeform.js";
import type { YamlPath } from "../source/yaml.js";
import { shellJoin } from "../transport/quote.js";
import type { Vars } from "./model.js";
import { present, readMapping } from "./readers.js";
import { UNSUPPORTED_TASK_KEYWORDS } from "./keywords.js";

export interface ModuleCall {
  readonly module: string;
  readonly args: Vars;
  /** "command echo hi": the display name of a task without `name:`. */
  readonly summary: string;
}

/** Finds the one key of a task that is not a keyword: the module. */
export function findModuleKey(entry: Cursor, keywords: ReadonlySet<string>, catalog: ModuleCatalog): string {
  const keys = Object.keys(readMapping(entry, "a task"));
  for (const key of keys) {
    const note = UNSUPPORTED_TASK_KEYWORDS.get(key);
    if (note !== undefined) fail(child(entry, key), `'${key}' is not supported yet`, note, { key: true });
  }
  if (keys.includes("listen") && !keywords.has("listen")) {
    fail(child(entry, "listen"), "'listen' is only for handlers", "move this task under 'handlers:', or notify it by name", { key: true });
  }
  const candidates = keys.filter((key) => !keywords.has(key));
  const vocabulary = [...keywords, ...catalog.names()];
  const [first, second] = candidates;
  if (first === undefined) {
    fail(entry, "task has no module", "add the module to run as a key, e.g. 'command: echo hi'");
  }
  if (second !== undefined) {
    // Blame the key that looks least like a module: unknown to the catalog, or a misspelt keyword.
    const culprit =
      candidates.find((key) => !catalog.has(shortNameOf(key, catalog))) ??
      candidates.find((key) => didYouMean(key, keywords) !== undefined) ??
      second;
    fail(
      child(entry, culprit),
      `task has more than one module: '${first}' and '${second}'`,
      didYouMean(culprit, vocabulary.filter((word) => word !== culprit)) ?? "a task runs exactly one module; split it into two tasks",
      { key: true },
    );
  }
  if (!catalog.has(shortNameOf(first, catalog))) {
    const hint = catalog.hint?.(first) ?? didYouMean(first, vocabulary);
    fail(child(entry, first), `unknown module '${first}'`, hint ?? "run 'runbook doc --list' to see the modules", { key: true });
  }
  return first;
}

/** The name a task keeps for its module key: ansible.builtin.copy -> copy, ansible.posix.sysctl -> sysctl. */
export function shortNameOf(key: string, catalog: ModuleCatalog): string {
  return catalog.shortName?.(key) ?? normalizeModuleName(key);
}

/** Reads module arguments (mapping or free-form) plus `args:`, and validates them. */
export function readModuleCall(entry: Cursor, moduleKey: string, catalog: ModuleCatalog, value: Cursor = child(entry, moduleKey), defaults: (module: string) => Vars = () => ({})): ModuleCall {
  const module = shortNameOf(moduleKey, catalog);
  const origins = new Map<string, YamlPath>();
  const inline = readInlineArgs(value, module);
  const extra = present(entry, "args");
  const extraArgs = extra === undefined ? {} : readMapping(extra, "args");
  for (const key of Object.keys(extraArgs)) origins.set(key, [...entry.path, "args", key]);
  for (const key of Object.keys(inline)) origins.set(key, isMapping(value.value) ? [...value.path, key] : value.path);
  // Inline arguments win over `args:`, as in Ansible, and both over module_defaults.
  const args: Vars = { ...defaults(module), ...extraArgs, ...inline };
  checkArgumentNames(module, args, catalog, origins, value);
  const checked = catalog.validate(module, args);
  if (!checked.ok) {
    const relevant = checked.issues.filter((candidate) => !dependsOnTemplate(args, candidate.path));
    // An argument that is there but wrong (often misspelt) explains a "missing" one: report it first.
    const issue = relevant.find((candidate) => origins.has(String(candidate.path[0]))) ?? relevant[0];
    if (issue !== undefined) reportIssue(value, module, issue, origins);
  }
  return { module, args, summary: summarize(module, value.value, args) };
}

/** Unknown argument names, with did-you-mean, wherever they came from. */
function checkArgumentNames(module: string, args: Vars, catalog: ModuleCatalog, origins: Map<string, YamlPath>, value: Cursor): void {
  const known = catalog.argumentNames(module);
  if (known === undefined) return;
  for (const key of Object.keys(args)) {
    if (known.includes(key)) continue;
    const origin = origins.get(key) ?? value.path;
    const inFreeForm = origin === value.path;
    const at = { source: value.source, path: origin, value: undefined };
    const hint = didYouMean(key, known) ?? `'${module}' takes: ${[...known].sort().join(", ")}`;
    fail(at, `unknown argument '${key}' for module '${module}'`, hint, { key: !inFreeForm, kind: "task" });
  }
}

function readInlineArgs(value: Cursor, module: string): Vars {
  const raw = value.value;
  if (raw === null || raw === undefined) return {};
  if (isMapping(raw)) return raw;
  if (typeof raw === "string" || typeof raw === "number") {
    const text = String(raw);
    if (COMMAND_MODULES.has(module)) {
      // Ansible splits a command's free form too and stops the run (exit 4) on an open quote or "{{".
      if (splitWords(text) === undefined) fail(value, `${module}: failed at splitting arguments, either an unbalanced jinja2 block or quotes`, "close the quote or the '{{ }}'; quote a lone apostrophe: \"don't\"");
      return { cmd: text };
    }
    if (FILE_MODULES.has(module)) return fileFreeForm(value, module, text);
    const parsed = parseKeyValues(text);
    if (!parsed.ok) fail(value, `${module}: ${parsed.problem}`, parsed.hint);
    return parsed.args;
  }
  return fail(value, `arguments of '${module}' must be a mapping or a string, found ${describeValue(raw)}`, "indent 'key: value' lines under the module name");
}

/** `include_vars: file.yml name=x`: the words that are not key=value (or are templates) name the file. */
function fileFreeForm(value: Cursor, module: string, text: string): Vars {
  const words = splitWords(text);
  if (words === undefined) return fail(value, `${module}: unterminated quote or '{{' in free-form arguments`, "close the quote, or write the arguments as a mapping");
  const isFile = (word: string): boolean => word.startsWith("{{") || !/^[A-Za-z_]\w*=/.test(word);
  const file = words.filter(isFile).join(" ");
  const parsed = parseKeyValues(shellJoin(words.filter((word) => !isFile(word))));
  if (!parsed.ok) fail(value, `${module}: ${parsed.problem}`, parsed.hint);
  return file === "" ? parsed.args : { file, ...parsed.args };
}

/**
 * Types can change once "{{ }}" is rendered, so an issue about a templated value waits for
 * the executor's second validation; names (unknown or missing keys) are checked now.
 */
function dependsOnTemplate(args: Vars, path: readonly (string | number)[]): boolean {
  let value: unknown = args;
  for (const step of path) {
    if (Array.isArray(value) && typeof step === "number") value = value[step];
    else if (isMapping(value)) value = value[String(step)];
    else return false;
    if (typeof value === "string" && value.includes("{{")) return true;
  }
  return false;
}

function reportIssue(value: Cursor, module: string, issue: ArgIssue, origins: Map<string, YamlPath>): never {
  const [head, ...rest] = issue.path;
  const origin = head === undefined ? undefined : origins.get(String(head));
  const label = issue.path.length > 0 ? `${module}.${issue.path.join(".")}` : module;
  const hint = issue.hint ?? `run 'runbook doc ${module}' for its arguments`;
  // A missing argument has no place of its own: point at the module's name.
  if (origin === undefined) fail(value, `${label}: ${issue.message}`, hint, { key: true, kind: "task" });
  const path = origin === value.path ? origin : [...origin, ...rest];
  fail({ source: value.source, path, value: undefined }, `${label}: ${issue.message}`, hint, { kind: "task" });
}

function summarize(module: string, raw: unknown, args: Vars): string {
  if (typeof raw === "string") return `${module} ${truncate(raw, 60)}`;
  const words = Object.entries(args)
    .filter(([, value]) => typeof value !== "object" || value === null)
    .map(([key, value]) => `${key}=${String(value)}`);
  return words.length === 0 ? module : `${module} ${truncate(words.join(" "), 60)}`;
}
