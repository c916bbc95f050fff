/**
 * Speculative probes: the probes of the tasks that follow the current one on a host, rendered
 * now, to be sent in the same remote script as the current task's (see probe-cache.ts).
 *
 * Only the next consecutive plain tasks are looked at; a block, include or meta ends the run of
 * tasks. A task is left out (and the look goes on past it) when its probes cannot be known now
 * or would not be used: a loop, until/retries, delegate_to, run_once, a controller-only module,
 * another become user, a condition that is false or cannot be evaluated yet (it needs a
 * `register` of a task in between), arguments that do not render or validate yet. Guessing wrong
 * costs only a wasted read on the host: the cache is keyed by the exact command.
 */
import { getModule, validateArgs } from "../modules/registry.js";
import type { Probe } from "../modules/types.js";
import type { Node, TaskNode } from "../playbook/model.js";
import { evaluateCondition, renderValue } from "../template/index.js";
import type { BecomeOptions } from "../transport/types.js";
import { becomeFor, sameBecome } from "./become.js";
import type { RunContext, Scope } from "./context.js";
import type { HostState } from "./host-state.js";
import { planContext } from "./module-run.js";
import { selectedTask } from "./tags.js";
import { taskVars } from "./task-vars.js";

/** How many following tasks to read ahead; a role's worth, without making a first run's scripts long. */
export const LOOKAHEAD_TASKS = 16;

export function lookaheadProbes(ctx: RunContext, scope: Scope, upcoming: readonly Node[], host: HostState, become: BecomeOptions | undefined): Probe[] {
  // --start-at-task decides task by task whether anything runs; do not guess around it.
  if (ctx.startAt.pending !== undefined) return [];
  const probes: Probe[] = [];
  for (const node of upcoming.slice(0, LOOKAHEAD_TASKS)) {
    if (node.kind !== "task") break;
    probes.push(...taskProbes(ctx, scope, node, host, become));
  }
  return probes;
}

function taskProbes(ctx: RunContext, scope: Scope, task: TaskNode, host: HostState, become: BecomeOptions | undefined): readonly Probe[] {
  if (task.loop !== undefined || task.until !== undefined || task.delegateTo !== undefined || task.runOnce) return [];
  if (!selectedTask(ctx.options, scope, task)) return [];
  const module = getModule(task.module);
  if (!module || module.local || !module.probe) return [];
  try {
    const vars = taskVars(ctx, scope, task, host);
    const conditions = [...scope.when, ...task.when.map((expr) => ({ expr, where: task.where }))];
    if (!conditions.every((condition) => evaluateCondition(condition.expr, vars, condition.where))) return [];
    if (!sameBecome(becomeFor(ctx, scope, task, host, vars), become)) return [];
    const validation = validateArgs(task.module, renderValue(task.args, vars, task.where));
    if (!validation.ok) return [];
    const transport = ctx.connections.get(host.name);
    const input = {
      module,
      args: validation.args,
      host: host.name,
      facts: host.facts,
      vars,
      check: ctx.options.check,
      playbook: ctx.playbook,
      role: task.role ?? scope.role,
      transport,
      become,
    };
    return module.probe(validation.args, planContext(input));
  } catch {
    // Not knowable yet (an undefined variable, a missing file): the task will probe for itself.
    return [];
  }
}
