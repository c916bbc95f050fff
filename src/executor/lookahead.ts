/**
 * Speculative probes: the fact commands of the tasks that follow the current one on a host,
 * prepared now (prepare.ts), to be sent in the same remote script as the current task's (see
 * probe-cache.ts). A thin policy over `prepare`: a task whose verdict is not `ready` is passed.
 *
 * The look follows the run's own order: the rest of a running loop's items, the rest of the
 * task list, into blocks (body, then `always`), out of them, on to the play's next section and
 * the next plays the host is in. It stops at what it cannot foresee (an include, end_play,
 * end_host, clear_facts, a play with `serial`) and after a budget of tasks and probes.
 * A task is left out (and the look goes on past it) when its facts would not be used as read
 * now: until/retries, delegate_to, run_once, another become user, another login (remote_user,
 * connection: its probes would run over the wrong connection). set_fact tasks on the way are
 * played (their plans are pure) so that later arguments using their variables render.
 * Guessing wrong costs only a wasted read on the host: the cache is keyed by the exact command.
 */
import type { Probe } from "../modules/types.js";
import type { Node, TaskNode, Vars } from "../playbook/model.js";
import type { BecomeOptions } from "../transport/types.js";
import { extendVars } from "../vars/lazy.js";
import { sameBecome } from "./become.js";
import { sameLogin, type Login } from "./connections.js";
import type { RunContext, Scope } from "./context.js";
import type { HostState } from "./host-state.js";
import { loopItemVars } from "./loop-items.js";
import { loopItems, prepare, type ModuleCall } from "./prepare.js";
import { prepareAhead } from "./prepared-ahead.js";
import { probeKey } from "./probe-cache.js";
import { selectedTask } from "./tags.js";
import { taskVars } from "./task-vars.js";
import { walkNodes } from "./walk.js";

/**
 * What the executor will meet after a task: the remaining `loop` items (when a loop is running),
 * then `nodes` in `scope`, then whatever `then` gives. `hosts`, when set, are the only hosts
 * that run `nodes` (a later play's).
 */
export interface Upcoming {
  readonly scope: Scope;
  readonly nodes: readonly Node[];
  readonly loop?: { readonly task: TaskNode; readonly items: readonly unknown[] } | undefined;
  readonly hosts?: readonly string[] | undefined;
  /** Reached only after the handlers were flushed (the play's next section): a batch stops here. */
  readonly afterHandlers?: boolean | undefined;
  readonly then?: (() => Upcoming | undefined) | undefined;
}

/**
 * Where each node stands in the run: what follows it. The run enters every list of nodes it
 * is about to run (a play's section, a block's body, an included file) with what follows the
 * list; the look-ahead then finds the rest from the task alone, so no strategy or runner has to
 * carry it.
 */
export class ReadAhead {
  private readonly next = new WeakMap<Node, Upcoming>();

  /** `nodes` are about to run in `scope`; `after` is what the run meets once they are done. */
  enter(nodes: readonly Node[], scope: Scope, after: Upcoming | undefined): void {
    nodes.forEach((node, index) => this.next.set(node, { scope, nodes: nodes.slice(index + 1), then: () => after }));
  }

  /** What follows `node`, or undefined when it was never entered (a handler). */
  after(node: Node): Upcoming | undefined {
    return this.next.get(node);
  }
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
  /** The connection the probes will travel over: only tasks that log in the same way join. */
  readonly login: Login;
  readonly probes: Probe[];
  /** Keys of `probes`: many tasks share one snapshot probe (ovs, ip), which is sent once. */
  readonly seen: Set<string>;
  /** What the set_fact tasks on the way will have set, for the arguments of the tasks after them. */
  readonly facts: Vars;
  tasks: number;
  readonly maxTasks: number;
}

/** `afterChange`: read ahead even right after a change (a batch's script reads after its steps); `tasks`: a smaller budget. */
export interface LookaheadLimits {
  readonly afterChange?: boolean | undefined;
  readonly tasks?: number | undefined;
}

export function lookaheadProbes(ctx: RunContext, upcoming: Upcoming | undefined, host: HostState, become: BecomeOptions | undefined, login: Login, limits: LookaheadLimits = {}): Probe[] {
  if (ctx.options.readAhead === false) return [];
  // --start-at-task decides task by task whether anything runs; do not guess around it.
  if (ctx.startAt.pending !== undefined) return [];
  // After a change the next tasks likely change the host too, and each change drops what was
  // read ahead: on a first run reading ahead would only make every script longer. The first task
  // that changes nothing opens the look again. (Check mode changes nothing, so it always looks.)
  if (host.lastTaskChanged && !ctx.options.check && limits.afterChange !== true) return [];
  const walk: Walk = { ctx, host, become, login, probes: [], seen: new Set(), facts: {}, tasks: 0, maxTasks: limits.tasks ?? LOOKAHEAD_TASKS };
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
  for (const walked of walkNodes(nodes, scope, false)) {
    if (walked.kind === "stop" || exhausted(walk)) return false;
    taskProbes(walk, walked.scope, walked.task);
  }
  return true;
}

function exhausted(walk: Walk): boolean {
  return walk.tasks >= walk.maxTasks || walk.probes.length >= LOOKAHEAD_PROBES;
}

function taskProbes(walk: Walk, scope: Scope, task: TaskNode): void {
  if (task.until !== undefined || task.delegateTo !== undefined || task.runOnce) return;
  if (!selectedTask(walk.ctx.options, scope, task)) return;
  const vars = varsFor(walk, scope, task);
  if (task.loop === undefined) {
    walk.tasks += 1;
    itemCall(walk, scope, task, vars, Object.keys(walk.facts).length === 0);
    return;
  }
  let items: unknown[];
  try {
    items = loopItems(task, vars);
  } catch {
    return; // not knowable yet
  }
  itemProbes(walk, scope, task, items, vars);
}

function varsFor(walk: Walk, scope: Scope, task: TaskNode): Vars {
  const vars = taskVars(walk.ctx, scope, task, walk.host);
  return Object.keys(walk.facts).length === 0 ? vars : extendVars(vars, walk.facts);
}

/** The probes of a loop's items (`vars`: the task's, without the item); false when the budget ran out. */
function itemProbes(walk: Walk, scope: Scope, task: TaskNode, items: readonly unknown[], vars: Vars): boolean {
  for (const index of items.keys()) {
    if (exhausted(walk)) return false;
    walk.tasks += 1;
    itemCall(walk, scope, task, extendVars(vars, loopItemVars(task, items, index)), false);
  }
  return true;
}

/**
 * One task (or item) ahead: its fact commands, or, for a controller-only task, the variables it
 * sets. `own`: `vars` are the task's own (no loop item, nothing set_fact will set), so the
 * verdict is kept for the run (prepared-ahead.ts).
 */
function itemCall(walk: Walk, scope: Scope, task: TaskNode, vars: Vars, own: boolean): void {
  // for the look-ahead every error means "not knowable yet": the task will read for itself
  const prepared = own ? prepareAhead(walk.ctx, scope, task, walk.host, vars) : prepare(walk.ctx, scope, task, walk.host, vars, () => true);
  if (prepared.kind !== "ready") return;
  const { call } = prepared;
  if (call.module.local) learnFacts(walk, call);
  else if (sameBecome(call.become, walk.become) && sameLogin(call.login, walk.login)) addProbes(walk, Object.values(call.facts).filter((fact) => fact !== undefined));
}

/**
 * A controller-only task (set_fact) changes no host but may set variables that later tasks'
 * arguments use (a role publishing docker_bridge_name): its plan is pure, so play it here too.
 */
function learnFacts(walk: Walk, call: ModuleCall): void {
  try {
    const plan = call.module.plan(call.args, {}, call.planContext);
    if (plan.kind !== "ok") return;
    for (const [name, value] of Object.entries(plan.setFacts ?? {})) {
      // extra vars win over set_fact, as in Ansible
      if (!Object.hasOwn(walk.ctx.options.extraVars, name)) walk.facts[name] = value;
    }
  } catch {
    // not knowable yet: the tasks that need these variables will read for themselves
  }
}

function addProbes(walk: Walk, probes: readonly Probe[]): void {
  for (const probe of probes) {
    const key = probeKey(probe, walk.become, walk.login);
    if (walk.seen.has(key)) continue;
    walk.seen.add(key);
    walk.probes.push({ argv: probe.argv });
  }
}
