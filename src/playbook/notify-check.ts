/**
 * Every `notify:` of a play must name one of its handlers (by name or `listen` topic). Ansible
 * finds out when the task changes, mid-run; the loader can tell before any host is touched.
 * Templated names, and tasks from include_tasks files (read at run time), are left to the executor.
 */
import { didYouMean, ParseError } from "../errors.js";
import type { Handler, Node, TaskNode } from "./model.js";

export function checkNotifyTargets(nodes: readonly Node[], handlers: readonly Handler[]): void {
  const topics = new Set(handlers.flatMap((handler) => handler.listen));
  for (const task of [...tasksIn(nodes), ...handlers]) {
    for (const name of task.notify) {
      if (topics.has(name) || name.includes("{{")) continue;
      const suggestion = didYouMean(name, topics);
      const known = topics.size === 0 ? "the play has no handlers" : `handlers: ${[...topics].join(", ")}`;
      throw new ParseError(`task '${task.name}' notifies '${name}', which no handler is named or listens to`, {
        location: task.where,
        hint: suggestion ?? known,
        kind: "play",
      });
    }
  }
}

function tasksIn(nodes: readonly Node[]): TaskNode[] {
  return nodes.flatMap((node) => {
    if (node.kind === "task") return [node];
    if (node.kind === "block") return tasksIn([...node.block, ...node.rescue, ...node.always]);
    return [];
  });
}
