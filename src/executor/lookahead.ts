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
 * between), arguments or loop items that do not render or validate yet. set_fact tasks on the
 * way are played (their plans are pure) so that later arguments using their variables render.
 * Guessing wrong costs only a wasted read on the host: the cache is keyed by the exact command.
 */
import { getModule, validateArgs } from "../modules/registry.js";
import type { PlanContext, Probe } from "../modules/types.js";
import type { Node, TaskNode, Vars } from "../playbook/model.js";
import { evaluateCondition, renderValue } from "../template/index.js";
import type { BecomeOptions } from "../transport/types.js";
import { extendVars } from "../vars/lazy.js";
import { becomeFor, sameBecome } from "./become.js";
import type { RunContext, Scope } from "./context.js";
import type { HostState } from "./host-state.js";
import { planContext } from "./module-run.js";
import { probeKey } from "./probe-cache.js";
import { blockScope, conditionsOf } from "./scopes.js";
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

/**
 * How far to read ahead: a few roles' worth, without making a first run's scripts long. Tasks
 * (loop items count one each) bound the controller's rendering; distinct probes bound the script.
 */
export const LOOKAHEAD_TASKS = 64;
export const LOOKAHEAD_PROBES = 64;

interface Walk {
  readonly ctx: RunContext;
  readonly host: HostState;
  readonly become: BecomeOptions | undefined;
  readonly probes: Probe[];
  /** Keys of `probes`: many tasks share one snapshot probe (ovs, ip), which is sent once. */
  readonly seen: Set<string>;
  /** What the set_fact tasks on the way will have set, for the arguments of the tasks after them. */
  readonly facts: Vars;
  tasks: number;
}

export function lookaheadProbes(ctx: RunContext, upcoming: Upcoming | undefined, host: HostState, become: BecomeOptions | undefined): Probe[] {
  // --start-at-task decides task by task whether anything runs; do not guess around it.
  if (ctx.startAt.pending !== undefined) return [];
  // After a change the next tasks likely change the host too, and each change drops what was
  // read ahead: on a first run reading ahead would only make every script longer. The first task
  // that changes nothing opens the look again. (Check mode changes nothing, so it always looks.)
  if (host.lastTaskChanged && !ctx.options.check) return [];
  const walk: Walk = { ctx, host, become, probes: [], seen: new Set(), facts: {}, tasks: 0 };
  for (let frame = upcoming; frame !== undefined; frame = frame.then?.()) {
    if (frame.hosts !== undefined && !frame.hosts.includes(host.name)) continue;
    const loop = frame.loop;
    if (loop !== undefined && !itemProbes(walk, frame.scope, loop.task, loop.items, varsFor(walk, frame.scope, loop.task))) break;
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
    const vars = varsFor(walk, scope, task);
    if (getModule(task.module)?.local) learnFacts(walk, scope, task, vars);
    else addProbes(walk, probesFor(walk, scope, task, vars));
    return;
  }
  const vars = varsFor(walk, scope, task);
  let items: unknown;
  try {
    items = renderValue(task.loop, vars, task.where);
  } catch {
    return; // not knowable yet
  }
  if (Array.isArray(items)) itemProbes(walk, scope, task, items, vars);
}

function varsFor(walk: Walk, scope: Scope, task: TaskNode): Vars {
  const vars = taskVars(walk.ctx, scope, task, walk.host);
  return Object.keys(walk.facts).length === 0 ? vars : extendVars(vars, walk.facts);
}

/**
 * A controller-only task (set_fact) changes no host but may set variables that later tasks'
 * arguments use (a role publishing docker_bridge_name): its plan is pure, so play it here too.
 */
function learnFacts(walk: Walk, scope: Scope, task: TaskNode, vars: Vars): void {
  const module = getModule(task.module);
  if (!module) return;
  try {
    if (!conditionsHold(scope, task, vars)) return;
    const validation = validateArgs(task.module, renderValue(task.args, vars, task.where));
    if (!validation.ok) return;
    const plan = module.plan(validation.args, [], contextFor(walk, scope, task, vars));
    for (const [name, value] of Object.entries(plan.setFacts ?? {})) {
      // extra vars win over set_fact, as in Ansible
      if (!Object.hasOwn(walk.ctx.options.extraVars, name)) walk.facts[name] = value;
    }
  } catch {
    // not knowable yet: the tasks that need these variables will probe for themselves
  }
}

/** The probes of a loop's items (`vars`: the task's, without the item); false when the budget ran out. */
function itemProbes(walk: Walk, scope: Scope, task: TaskNode, items: readonly unknown[], vars: Vars): boolean {
  for (const item of items) {
    if (exhausted(walk)) return false;
    walk.tasks += 1;
    addProbes(walk, probesFor(walk, scope, task, extendVars(vars, { [task.loopVar]: item })));
  }
  return true;
}

function addProbes(walk: Walk, probes: readonly Probe[]): void {
  for (const probe of probes) {
    const key = probeKey(probe, walk.become);
    if (walk.seen.has(key)) continue;
    walk.seen.add(key);
    walk.probes.push(probe);
  }
}

function probesFor(walk: Walk, scope: Scope, task: TaskNode, vars: Vars): readonly Probe[] {
  const { ctx, host, become } = walk;
  const module = getModule(task.module);
  if (!module || module.local || !module.probe) return [];
  try {
    if (!conditionsHold(scope, task, vars)) return [];
    if (!sameBecome(becomeFor(ctx, scope, task, host, vars), become)) return [];
    const validation = validateArgs(task.module, renderValue(task.args, vars, task.where));
    if (!validation.ok) return [];
    return module.probe(validation.args, contextFor(walk, scope, task, vars));
  } catch {
    // Not knowable yet (an undefined variable, a missing file): the task will probe for itself.
    return [];
  }
}

function conditionsHold(scope: Scope, task: TaskNode, vars: Vars): boolean {
  return conditionsOf(scope, task).every((condition) => evaluateCondition(condition.expr, vars, condition.where));
}

function contextFor(walk: Walk, scope: Scope, task: TaskNode, vars: Vars): PlanContext {
  const { ctx, host } = walk;
  return planContext({ host: host.name, facts: host.facts, vars, check: ctx.options.check, playbook: ctx.playbook, role: task.role ?? scope.role });
}
