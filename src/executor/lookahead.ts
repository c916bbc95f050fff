/**
 * Speculative probes: the probes of the tasks that follow the current one on a host, rendered
 * now, to be sent in the same remote script as the current task's (see probe-cache.ts).
 *
 * The look follows the run's own order: the rest of a running loop's items, the rest of the
 * task list, into blocks (body, then `always`), out of them, on to the play's next section and
 * the next plays the host is in. It stops at what it cannot foresee (an include, end_play,
 * end_host, clear_facts, a play with `serial`) and after a budget of tasks and probes.
 * A task is left out (and the look goes on past it) when its probes cannot be known now or would
 * not be used: until/retries, delegate_to, run_once, a controller-only module, another become
 * user, a condition that is false or cannot be evaluated yet (it needs a `register` of a task in
 * between), arguments or loop items that do not render or validate yet. Guessing wrong costs
 * only a wasted read on the host: the cache is keyed by the exact command.
 */
import { getModule, validateArgs } from "../modules/registry.js";
import type { Probe } from "../modules/types.js";
import type { Node, TaskNode, Vars } from "../playbook/model.js";
import { evaluateCondition, renderValue } from "../template/index.js";
import type { BecomeOptions } from "../transport/types.js";
import { extendVars } from "../vars/lazy.js";
import { becomeFor, sameBecome } from "./become.js";
import type { RunContext, Scope } from "./context.js";
import type { HostState } from "./host-state.js";
import { planContext } from "./module-run.js";
import { blockScope } from "./scopes.js";
import { selectedTask } from "./tags.js";
import { taskVars } from "./task-vars.js";

/**
 * What the executor will meet after the current task: the remaining `loopItems` of `loopTask`
 * (when a loop is running), then `nodes` in `scope`, then whatever `then` gives. `hosts`, when
 * set, are the only hosts that run `nodes` (a later play's).
 */
export interface Upcoming {
  readonly scope: Scope;
  readonly nodes: readonly Node[];
  readonly loop?: { readonly task: TaskNode; readonly items: readonly unknown[] } | undefined;
  readonly hosts?: readonly string[] | undefined;
  readonly then?: (() => Upcoming | undefined) | undefined;
}

/** How far to read ahead: a few roles' worth, without making a first run's scripts long. */
export const LOOKAHEAD_TASKS = 40;
export const LOOKAHEAD_PROBES = 64;

interface Walk {
  readonly ctx: RunContext;
  readonly host: HostState;
  readonly become: BecomeOptions | undefined;
  readonly probes: Probe[];
  tasks: number;
}

export function lookaheadProbes(ctx: RunContext, upcoming: Upcoming | undefined, host: HostState, become: BecomeOptions | undefined): Probe[] {
  // --start-at-task decides task by task whether anything runs; do not guess around it.
  if (ctx.startAt.pending !== undefined) return [];
  const walk: Walk = { ctx, host, become, probes: [], tasks: 0 };
  for (let frame = upcoming; frame !== undefined; frame = frame.then?.()) {
    if (frame.hosts !== undefined && !frame.hosts.includes(host.name)) continue;
    if (frame.loop !== undefined && !itemProbes(walk, frame.scope, frame.loop.task, frame.loop.items)) break;
    if (!nodeProbes(walk, frame.scope, frame.nodes)) break;
  }
  return walk.probes;
}

/** Adds the probes of `nodes`; false when the look must stop here. */
function nodeProbes(walk: Walk, scope: Scope, nodes: readonly Node[]): boolean {
  for (const node of nodes) {
    if (exhausted(walk)) return false;
    switch (node.kind) {
      case "task":
        taskProbes(walk, scope, node);
        break;
      case "block": {
        // rescue runs only after a failure, and a failure is never a no-change run
        const inner = blockScope(scope, node);
        if (!nodeProbes(walk, inner, node.block) || !nodeProbes(walk, inner, node.always)) return false;
        break;
      }
      case "include":
        return false; // which file, and what is in it, is known only when it runs
      case "meta":
        // flush_handlers: a handler that runs changes the host, and that drops the cache anyway
        if (node.action !== "noop" && node.action !== "flush_handlers") return false;
        break;
    }
  }
  return true;
}

function exhausted(walk: Walk): boolean {
  return walk.tasks >= LOOKAHEAD_TASKS || walk.probes.length >= LOOKAHEAD_PROBES;
}

function taskProbes(walk: Walk, scope: Scope, task: TaskNode): void {
  if (task.until !== undefined || task.delegateTo !== undefined || task.runOnce) return;
  if (!selectedTask(walk.ctx.options, scope, task)) return;
  if (task.loop === undefined) {
    walk.tasks += 1;
    walk.probes.push(...probesFor(walk, scope, task, taskVars(walk.ctx, scope, task, walk.host)));
    return;
  }
  let items: unknown;
  try {
    items = renderValue(task.loop, taskVars(walk.ctx, scope, task, walk.host), task.where);
  } catch {
    return; // not knowable yet
  }
  if (Array.isArray(items)) itemProbes(walk, scope, task, items);
}

/** The probes of a loop's items; false when the budget ran out. */
function itemProbes(walk: Walk, scope: Scope, task: TaskNode, items: readonly unknown[]): boolean {
  if (!selectedTask(walk.ctx.options, scope, task)) return true;
  const vars = taskVars(walk.ctx, scope, task, walk.host);
  for (const item of items) {
    if (exhausted(walk)) return false;
    walk.tasks += 1;
    walk.probes.push(...probesFor(walk, scope, task, extendVars(vars, { [task.loopVar]: item })));
  }
  return true;
}

function probesFor(walk: Walk, scope: Scope, task: TaskNode, vars: Vars): readonly Probe[] {
  const { ctx, host, become } = walk;
  const module = getModule(task.module);
  if (!module || module.local || !module.probe) return [];
  try {
    const conditions = [...scope.when, ...task.when.map((expr) => ({ expr, where: task.where }))];
    if (!conditions.every((condition) => evaluateCondition(condition.expr, vars, condition.where))) return [];
    if (!sameBecome(becomeFor(ctx, scope, task, host, vars), become)) return [];
    const validation = validateArgs(task.module, renderValue(task.args, vars, task.where));
    if (!validation.ok) return [];
    const context = planContext({ host: host.name, facts: host.facts, vars, check: ctx.options.check, playbook: ctx.playbook, role: task.role ?? scope.role });
    return module.probe(validation.args, context);
  } catch {
    // Not knowable yet (an undefined variable, a missing file): the task will probe for itself.
    return [];
  }
}
