/**
 * `module_defaults` on a play, block, task or include: arguments every task of a module gets
 * unless it gives them itself. Keys are module names, short or qualified (`ansible.builtin.file`
 * and `file` are one module); an inner level's entry for a module adds to and overrides the
 * outer's, argument by argument, as Ansible merges its list of defaults. `group/NAME` keys name
 * collections' action groups, which none of runbook's modules belongs to: they are read and
 * match nothing, as in Ansible for builtin modules.
 */
import type { ModuleCatalog } from "./catalog.js";
import { child, describeValue, fail, isMapping, type Cursor } from "./cursor.js";
import type { ModuleDefaults, Vars } from "./model.js";
import { shortNameOf } from "./module-args.js";
import { didYouMean } from "../errors.js";
import { readMapping } from "./readers.js";

/** `module_defaults: {file: {mode: "0644"}}` or a list of such mappings, merged on `outer`. */
export function readModuleDefaults(cursor: Cursor, catalog: ModuleCatalog, outer: ModuleDefaults = {}): ModuleDefaults {
  const levels = Array.isArray(cursor.value) ? cursor.value.map((_, index) => child(cursor, index)) : [cursor];
  let merged = outer;
  for (const level of levels) {
    if (!isMapping(level.value)) fail(level, `module_defaults must map module names to their arguments, found ${describeValue(level.value)}`, "write e.g. module_defaults: { file: { mode: '0644' } }");
    for (const key of Object.keys(level.value)) {
      const args = readMapping(child(level, key), `module_defaults for ${key}`);
      if (key.startsWith("group/")) continue;
      const module = shortNameOf(key, catalog);
      checkNames(child(level, key), module, args, catalog);
      merged = { ...merged, [module]: { ...merged[module], ...args } };
    }
  }
  return merged;
}

/** What `module_defaults` gives a task of `module` (its short name). */
export function defaultsFor(defaults: ModuleDefaults | undefined, module: string): Vars {
  return defaults?.[module] ?? {};
}

/** A default the module does not take is an error where it is written, not on every task. */
function checkNames(at: Cursor, module: string, args: Vars, catalog: ModuleCatalog): void {
  const known = catalog.has(module) ? catalog.argumentNames(module) : undefined;
  if (known === undefined) return;
  for (const key of Object.keys(args)) {
    if (!known.includes(key)) fail(child(at, key), `unknown argument '${key}' for module '${module}' in module_defaults`, didYouMean(key, known) ?? `'${module}' takes: ${[...known].sort().join(", ")}`, { key: true });
  }
}
