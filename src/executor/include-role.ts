/**
 * include_role at run time: the include is a task of its own that --tags select; its condition
 * is judged once per host (per item when it loops) and a host it leaves out gets one skipped
 * result, as Ansible reports a dynamic include. A looped include_role runs the role once per
 * item, the item's variables (loop_var, index_var) visible to the role's tasks and defaults;
 * hosts on the same item run it together, item by item.
 */
import type { BlockNode, TaskNode, Vars } from "../playbook/model.js";
import { evaluateCondition } from "../template/index.js";
import { extendVars } from "../vars/lazy.js";
import { recordResult, type RunContext, type Scope } from "./context.js";
import type { TaskResult } from "./events.js";
import type { HostState } from "./host-state.js";
import { loopItemVars, renderLoopItems } from "./loop-items.js";
import { loopItemLabel } from "./loop-label.js";
import { asTask, failedInclude, includeSelected, reportsInclude, runBlockBody, skippedInclude } from "./nodes.js";
import { conditionsOf } from "./scopes.js";
import { taskRef } from "./task-runner.js";
import { taskVars } from "./task-vars.js";

/** One pass over the role: the hosts that run it with the same item. */
interface Round {
  readonly itemVars: Vars;
  readonly group: HostState[];
}

export async function runIncludedRole(ctx: RunContext, scope: Scope, block: BlockNode, hosts: readonly HostState[]): Promise<void> {
  if (!includeSelected(ctx, scope, [...block.tags, ...(block.includeTags ?? [])])) return;
  const probe: TaskNode = { ...asTask(block, "include_role"), ...block.roleLoop, name: `include_role : ${block.includedRole ?? ""}` };
  const rounds: Map<string, Round>[] = [];
  const itemSkips: TaskResult[] = [];
  const hostResults: TaskResult[] = [];
  for (const host of hosts) {
    const joins: { index: number; itemVars: Vars }[] = [];
    const skips: TaskResult[] = [];
    try {
      const vars = taskVars(ctx, scope, probe, host);
      const holds = (itemScope: Vars): boolean => conditionsOf(scope, block).every((condition) => evaluateCondition(condition.expr, itemScope, condition.where));
      const items = block.roleLoop === undefined ? undefined : renderLoopItems(block.roleLoop, vars);
      for (const [index, itemVars] of (items === undefined ? [{}] : items.map((_, at) => loopItemVars(probe, items, at))).entries()) {
        const itemScope = items === undefined ? vars : extendVars(vars, itemVars);
        if (holds(itemScope)) joins.push({ index, itemVars });
        else if (items !== undefined) skips.push({ ...skippedInclude(host), item: loopItemLabel(probe, itemScope, items[index]) });
      }
    } catch (error) {
      hostResults.push(failedInclude(ctx, scope, probe, host, error));
      continue;
    }
    itemSkips.push(...skips);
    const included = joins.length;
    for (const { index, itemVars } of joins) {
      const round = (rounds[index] ??= new Map());
      const key = JSON.stringify(itemVars);
      const entry = round.get(key) ?? { itemVars, group: [] };
      entry.group.push(host);
      round.set(key, entry);
    }
    // as Ansible counts an include_role: nothing for what it included, one skip when it included nothing
    if (included === 0) hostResults.push(skippedInclude(host));
  }
  if (itemSkips.length + hostResults.length > 0 && reportsInclude(ctx, scope, probe)) {
    const ref = taskRef(probe, scope);
    ctx.emit({ type: "task-start", task: ref, hosts: hosts.map((host) => host.name) });
    for (const result of itemSkips) ctx.emit({ type: "item-result", task: ref, result });
    for (const result of hostResults) recordResult(ctx, ref, result);
  }
  // an item no host includes (its `when` false everywhere) leaves a hole: filter skips holes
  const passes = rounds.filter((round) => round !== undefined).map((round) => [...round.values()]);
  if (passes.length > 0 && block.handlerKey !== undefined) {
    const included = ctx.includedRoles.get(scope.play) ?? new Set<string>();
    included.add(block.handlerKey);
    ctx.includedRoles.set(scope.play, included);
  }
  // the include's condition was judged here, once: the role's tasks do not judge it again
  const body: BlockNode = { ...block, includedRole: undefined, when: [], tags: block.parentTags ?? [] };
  for (const pass of passes) {
    await Promise.all(
      pass.map(({ itemVars, group }) => {
        const itemScope = block.roleLoop === undefined ? scope : { ...scope, blockVars: [...scope.blockVars, itemVars] };
        return runBlockBody(ctx, itemScope, body, group.filter((host) => host.active), block);
      }),
    );
  }
}
