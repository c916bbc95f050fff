/**
 * The task tree in run order, for the policies that look at tasks without running them (the
 * look-ahead and the pre-flight): a block's body, its rescue (when asked for), then its always.
 * Where the run's path cannot be foreseen (an include, an include_role that loops or that its
 * own tags select, a meta other than noop and flush_handlers), a `stop` is yielded; the caller
 * decides whether to go on past it.
 */
import type { Node, TaskNode } from "../playbook/model.js";
import type { Scope } from "./context.js";
import { blockScope } from "./scopes.js";

export type Walked = { readonly kind: "task"; readonly task: TaskNode; readonly scope: Scope } | { readonly kind: "stop"; readonly node: Node };

/** `atFlush`: flush_handlers is a stop too (for batches: a handler would run between the tasks). */
export function* walkNodes(nodes: readonly Node[], scope: Scope, withRescue: boolean, atFlush = false): Generator<Walked> {
  for (const node of nodes) {
    switch (node.kind) {
      case "task":
        yield { kind: "task", task: node, scope };
        break;
      case "block": {
        if (node.roleLoop !== undefined || (node.includeTags ?? []).length > 0) {
          yield { kind: "stop", node };
          break;
        }
        const inner = blockScope(scope, node);
        yield* walkNodes(node.block, inner, withRescue, atFlush);
        if (withRescue) yield* walkNodes(node.rescue, inner, withRescue, atFlush);
        yield* walkNodes(node.always, inner, withRescue, atFlush);
        break;
      }
      case "include":
        yield { kind: "stop", node };
        break;
      case "meta":
        // flush_handlers: a handler that runs changes the host, and that moves its generation anyway
        if (node.action !== "noop" && (atFlush || node.action !== "flush_handlers")) yield { kind: "stop", node };
        break;
    }
  }
}
