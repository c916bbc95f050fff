import type { ExecutorOptions } from "./options.js";
import type { Scope } from "./context.js";
import type { TaskNode } from "../playbook/model.js";

/** Whether --role, --tags and --skip-tags select this task (handlers are never filtered; --start-at-task is the runner's). */
export function selectedTask(options: ExecutorOptions, scope: Scope, task: TaskNode): boolean {
  if (scope.isHandler) return true;
  if (options.role !== undefined && (task.role ?? scope.role)?.name !== options.role) return false;
  return selectedByTags([...scope.tags, ...task.tags], options.tags, options.skipTags);
}

/**
 * Ansible's tag selection (Taggable.evaluate_tags): with --tags, a task runs when it has one of
 * them or `always`; `all` selects everything but `never`, `tagged` every tagged task but `never`,
 * `untagged` the tasks without tags. --skip-tags then takes out a task with one of its tags
 * (`tagged`: any tagged task; `all`: everything but `always`, unless `always` is skipped too).
 * No --tags is `--tags all`: a task tagged `never` runs only when one of its tags is asked for.
 */
export function selectedByTags(taskTags: readonly string[], tags: readonly string[], skipTags: readonly string[]): boolean {
  const own = taskTags.length === 0 ? ["untagged"] : taskTags;
  const has = (tag: string): boolean => own.includes(tag);
  const tagged = taskTags.length > 0;
  const only = tags.length === 0 ? ["all"] : tags;
  const runs = has("always") || (only.includes("all") && !has("never")) || only.some(has) || (only.includes("tagged") && tagged && !has("never"));
  if (!runs || skipTags.length === 0) return runs;
  if (skipTags.includes("all")) return has("always") && !skipTags.includes("always");
  return !skipTags.some(has) && !(skipTags.includes("tagged") && tagged);
}
