/**
 * Ansible's older way of naming a task's module: `action: copy src=a dest=b`, or as a mapping
 * `action: {module: copy, src: a, dest: b}`; `local_action:` is the same with `delegate_to: localhost`.
 * The module and its arguments are then read as if written `copy: src=a dest=b`.
 */
import { didYouMean } from "../errors.js";
import { normalizeModuleName, type ModuleCatalog } from "./catalog.js";
import { child, describeValue, fail, isMapping, type Cursor } from "./cursor.js";
import { present } from "./readers.js";

export interface ActionForm {
  /** The module as written (`copy`, `ansible.builtin.copy`). */
  readonly moduleKey: string;
  /** Where its arguments are: the rest of the string, or the mapping without `module`. */
  readonly value: Cursor;
  /** `local_action`: the task runs on the controller. */
  readonly local: boolean;
}

const ACTION_KEYS = ["action", "local_action"] as const;

export function readActionForm(entry: Cursor, keywords: ReadonlySet<string>, catalog: ModuleCatalog): ActionForm | undefined {
  const key = ACTION_KEYS.find((candidate) => present(entry, candidate) !== undefined);
  if (key === undefined) return undefined;
  const keys = isMapping(entry.value) ? Object.keys(entry.value) : [];
  const other = keys.find((candidate) => candidate !== key && (!keywords.has(candidate) || (ACTION_KEYS as readonly string[]).includes(candidate)));
  if (other !== undefined) fail(child(entry, other), `task has both '${key}' and '${other}'`, `'${key}' names the task's module: keep one of the two`, { key: true });
  const at = child(entry, key);
  const form = isMapping(at.value) ? fromMapping(at) : fromString(at, key);
  if (!catalog.has(catalog.shortName?.(form.moduleKey) ?? normalizeModuleName(form.moduleKey))) {
    const hint = catalog.hint?.(form.moduleKey) ?? didYouMean(form.moduleKey, catalog.names());
    fail(at, `unknown module '${form.moduleKey}'`, hint ?? "run 'runbook doc --list' to see the modules");
  }
  return { ...form, local: key === "local_action" };
}

function fromString(at: Cursor, key: string): Omit<ActionForm, "local"> {
  const text = typeof at.value === "string" ? at.value.trim() : "";
  const match = /^(\S+)\s*([\s\S]*)$/.exec(text);
  if (match === null) return fail(at, `${key} must name a module, found ${describeValue(at.value)}`, `write e.g. ${key}: command echo hi`);
  return { moduleKey: match[1] as string, value: { ...at, value: match[2] === "" ? null : match[2] } };
}

function fromMapping(at: Cursor): Omit<ActionForm, "local"> {
  const module = child(at, "module");
  if (typeof module.value !== "string" || module.value === "") return fail(at, "the action mapping needs 'module: NAME'", "write e.g. action: { module: copy, src: a, dest: b }");
  const { module: _module, ...args } = at.value as Record<string, unknown>;
  return { moduleKey: module.value, value: { ...at, value: args } };
}
