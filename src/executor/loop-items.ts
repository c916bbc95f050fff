/**
 * A looped task's items and the variables each item brings, as Ansible's TaskExecutor makes
 * them: `with_<lookup>:` runs the lookup over its rendered terms (first_found looking in the
 * folder the task's action implies), and every item sees `loop_var`, `ansible_loop_var`, and
 * with loop_control `index_var` and `extended` its index and `ansible_loop`.
 */
import { RunbookError } from "../errors.js";
import type { IncludeNode, TaskNode, Vars } from "../playbook/model.js";
import { loopLookup, loopPosition, renderValue } from "../template/index.js";

type Looped = Pick<TaskNode, "loop" | "loopWith" | "where"> & Partial<Pick<TaskNode, "module">>;

/** Ansible's `_subdir` for a loop's lookup: the first of template, var, file the action's name contains. */
function lookupSubdir(action: string): string {
  return action.includes("template") ? "templates" : action.includes("var") ? "vars" : "files";
}

/** The items of a looped task or include, rendered; an error when `loop` is not a list. */
export function renderLoopItems(task: Looped | IncludeNode, vars: Vars): unknown[] {
  const rendered = renderValue(task.loop, vars, task.where);
  if (task.loopWith === undefined) {
    if (!Array.isArray(rendered)) throw new RunbookError("runtime", `loop must be a list, got ${typeof rendered}`, { location: task.where });
    return rendered;
  }
  // Ansible's listify_lookup_plugin_terms: a list stays the list of terms, anything else is one term
  const terms = Array.isArray(rendered) ? rendered : [rendered];
  const action = "module" in task && task.module !== undefined ? task.module : "include_tasks";
  return loopLookup(task.loopWith, terms, vars, task.where, lookupSubdir(action));
}

/** What one item adds to the task's variables (and to its registered result). */
export function loopItemVars(task: Pick<TaskNode, "loopVar" | "indexVar" | "loopExtended">, items: readonly unknown[], index: number): Vars {
  const vars: Vars = { [task.loopVar]: items[index], ansible_loop_var: task.loopVar };
  if (task.indexVar !== undefined) {
    vars[task.indexVar] = index;
    vars["ansible_index_var"] = task.indexVar;
  }
  if (task.loopExtended === true) vars["ansible_loop"] = extendedLoop(items, index);
  return vars;
}

function extendedLoop(items: readonly unknown[], index: number): Vars {
  const length = items.length;
  // built by assignment, not object spreads: V8's spread of loopPosition's object is slow (see template/jinja/statements.ts loopObject)
  const loop: Record<string, unknown> = { allitems: items };
  Object.assign(loop, loopPosition(length, index));
  if (index > 0) loop["previtem"] = items[index - 1];
  if (index < length - 1) loop["nextitem"] = items[index + 1];
  return loop;
}
