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
 * Ansible's tag selection: with --tags, a task runs when it has one of them (or `always`);
 * `all` selects everything, `tagged`/`untagged` select by having tags at all; --skip-tags wins;
 * a task tagged `never` runs only when one of its tags is asked for by name.
 */
export function selectedByTags(taskTags: readonly string[], tags: readonly string[], skipTags: readonly string[]): boolean {
  const has = (tag: string): boolean => taskTags.includes(tag);
  if (skipTags.some((tag) => has(tag) || (tag === "tagged" && taskTags.length > 0) || (tag === "untagged" && taskTags.length === 0))) {
    return false;
  }
  if (tags.length === 0 || tags.includes("all")) {
    return !has("never");
  }
  if (has("always")) return true;
  return tags.some((tag) => has(tag) || (tag === "tagged" && taskTags.length > 0) || (tag === "untagged" && taskTags.length === 0));
}
