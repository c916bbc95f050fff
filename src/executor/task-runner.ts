/**
 * One task on one host: task -> prepare (conditions, arguments, facts wanted) -> module run
 * (facts -> plan -> apply) -> judged (changed_when, failed_when, until) -> result, with its
 * effects on the host's state (register, set_fact, notify, fate). See README.md in this folder.
 */
import { ParseError, RunbookError } from "../errors.js";
import { getModule } from "../modules/registry.js";
import type { TaskNode, Vars } from "../playbook/model.js";
import { evaluateCondition } from "../template/index.js";
import { UnreachableError } from "../transport/types.js";
import type { RunContext, Scope } from "./context.js";
import type { ResultBody, TaskError, TaskRef, TaskResult } from "./events.js";
import type { HostState } from "./host-state.js";
import { lookaheadProbes, type Upcoming } from "./lookahead.js";
import { runWithTimeLimits } from "./async-job.js";
import { hostLink, reconnect } from "./reconnect.js";
import { planBatch } from "./batch-plan.js";
import { UNKNOWN_IN_CHECK_MODE, type ModuleRunOptions } from "./module-run.js";
import { loopItems, type ModuleCall } from "./prepare.js";
import { forgetKept, prepareForRun } from "./prepared-ahead.js";
import { judge, type Attempt } from "./judge.js";
import { flagValue } from "./flags.js";
import { loopItemVars } from "./loop-items.js";
import { loopItemLabel } from "./loop-label.js";
import { taskVars } from "./task-vars.js";
import { extendVars } from "../vars/lazy.js";

export function taskRef(task: TaskNode, scope: Scope): TaskRef {
  return {
    play: scope.play.name,
    role: (task.role ?? scope.role)?.name,
    name: task.name,
    module: task.module,
    isHandler: scope.isHandler,
    noLog: task.noLog || scope.noLog,
    diff: task.diff,
  };
}

/** One task on one host: what stays the same across its loop items and retries. */
export interface TaskCall {
  readonly ctx: RunContext;
  readonly scope: Scope;
  readonly task: TaskNode;
  readonly host: HostState;
}

/** Runs a task on one host and applies its effects on the host's state (register, set_fact, notify, fate). */
export async function runTaskOnHost(ctx: RunContext, scope: Scope, task: TaskNode, host: HostState): Promise<TaskResult> {
  const startedAt = Date.now();
  const call: TaskCall = { ctx, scope, task, host };
  const timed = (body: ResultBody): TaskResult => {
    const durationMs = Math.max(0, Date.now() - startedAt + host.timeShiftMs);
    host.timeShiftMs = 0;
    return { ...body, host: host.name, startedAt, durationMs };
  };
  try {
    const vars = taskVars(ctx, scope, task, host);
    const ahead = ctx.readAhead.after(task);
    const attempt = task.loop === undefined ? await runOnce(call, vars, ahead) : await runLoop(call, vars, ahead);
    return finish(call, timed(attempt.result), attempt);
  } catch (error) {
    return timed(thrown(call, error));
  }
}

async function runOnce(call: TaskCall, vars: Vars, ahead: Upcoming | undefined): Promise<Attempt> {
  const batched = call.host.batched.get(call.task);
  if (batched !== undefined) {
    // its steps already ran in an earlier task's script: judged and reported now, in its turn
    call.host.batched.delete(call.task);
    forgetKept(call.host, call.task);
    call.host.timeShiftMs += batched.ms;
    if ("thrown" in batched) throw batched.thrown;
    return judge(call.task, vars, batched.outcome, undefined);
  }
  const prepared = prepareForRun(call.ctx, call.scope, call.task, call.host, vars);
  switch (prepared.kind) {
    case "skip":
    case "unknowable":
      return skipped(prepared.kind === "skip" ? prepared.reason : prepared.why);
    case "error": {
      const unknown = unforeseen(call, prepared.error);
      if (unknown) return unknown;
      throw prepared.error;
    }
    case "ready":
      try {
        return await runWithRetries(call, prepared.call, vars, ahead);
      } catch (error) {
        // a plan that evaluates a value check mode does not have (assert's `that`)
        const unknown = unforeseen(call, error);
        if (unknown) return unknown;
        throw error;
      }
  }
}

async function runLoop(call: TaskCall, vars: Vars, ahead: Upcoming | undefined): Promise<Attempt> {
  const { ctx, scope, task, host } = call;
  const items = loopItems(task, vars);
  const attempts: Attempt[] = [];
  let loopVars = vars;
  for (const [index, item] of items.entries()) {
    if (index > 0 && task.loopPauseSeconds !== undefined) await sleep(task.loopPauseSeconds * 1000);
    const startedAt = Date.now();
    // the items still to come are read ahead first, then what follows the task
    const perItem = loopItemVars(task, items, index);
    const itemVars = extendVars(loopVars, perItem);
    const rest: Upcoming = { scope, nodes: [], loop: { task, items: items.slice(index + 1) }, then: () => ahead };
    const attempt = await runOnce(call, itemVars, rest);
    const result: TaskResult = { ...attempt.result, host: host.name, item: loopItemLabel(task, itemVars, item), durationMs: Date.now() - startedAt, startedAt };
    ctx.emit({ type: "item-result", task: taskRef(task, scope), result });
    host.lastTaskChanged = result.status === "changed";
    attempts.push({ ...attempt, register: { ...attempt.register, ...perItem } });
    // as in Ansible, what set_fact set for one item is seen by the next (-e still wins)
    if (attempt.setFacts && attempt.result.status !== "failed") loopVars = extendVars(loopVars, withoutExtraVars(attempt.setFacts, ctx.options.extraVars));
  }
  return loopAttempt(attempts);
}

function withoutExtraVars(values: Vars, extra: Vars): Vars {
  return Object.fromEntries(Object.entries(values).filter(([key]) => !Object.hasOwn(extra, key)));
}

/** A loop's result from its items': failed if one failed, changed if one changed, skipped if all were. */
function loopAttempt(attempts: readonly Attempt[]): Attempt {
  const statuses = attempts.map((attempt) => attempt.result.status);
  // as Ansible's, any item's changed, a failed item's included (a command that ran and failed)
  const changed = attempts.some(({ result }) => result.status === "changed" || (result.status === "failed" && result.changed === true));
  const commands = attempts.flatMap((attempt) => attempt.result.commands ?? []);
  const results = attempts.map((attempt) => attempt.register);
  // set_fact in a loop sets its variables item by item: the last item's value stands
  const setFacts = attempts.reduce<Vars | undefined>((all, attempt) => (attempt.setFacts ? { ...all, ...attempt.setFacts } : all), undefined);
  const facts = attempts.reduce<Vars | undefined>((all, attempt) => (attempt.facts ? { ...all, ...attempt.facts } : all), undefined);
  const unknown = attempts.some((attempt) => attempt.result.status === "changed" && attempt.result.unknown === true);
  let result: ResultBody;
  if (statuses.includes("failed")) result = { status: "failed", msg: "one or more items failed", error: { message: "one or more items failed" }, commands, changed: changed ? true : undefined };
  else if (changed) result = { status: "changed", commands, unknown: unknown || undefined };
  else if (attempts.length > 0 && statuses.every((status) => status === "skipped")) result = { status: "skipped", commands };
  else result = { status: "ok", commands };
  const msg = result.status === "failed" ? "One or more items failed" : result.status === "skipped" ? "All items skipped" : "All items completed";
  const register = { changed, failed: result.status === "failed", skipped: result.status === "skipped", results, msg };
  return { result, register, setFacts, facts };
}

async function runWithRetries(call: TaskCall, module: ModuleCall, vars: Vars, ahead: Upcoming | undefined): Promise<Attempt> {
  const { task } = call;
  // In check mode commands do not run, so `until` cannot come true: one attempt, not judged by it.
  const retrying = task.until !== undefined && !module.check;
  const attempts = retrying ? Math.max(1, task.retries) : 1;
  const options = runOptions(call, module, ahead);
  let attempt: Attempt | undefined;
  for (let i = 0; i < attempts; i++) {
    if (i > 0) await sleep(task.delaySeconds * 1000);
    attempt = judge(task, vars, await runWithTimeLimits(task, module, options), module.delegate);
    if (!retrying || task.until === undefined) break;
    const untilVars = extendVars(vars, task.register ? { [task.register]: attempt.register } : attempt.register);
    if (attempt.result.status !== "failed" && evaluateCondition(task.until, untilVars, task.where)) break;
    if (i === attempts - 1) attempt = gaveUp(attempt, attempts);
  }
  return attempt as Attempt;
}

/** Where the call's facts come from and how it meets its host. */
function runOptions(call: TaskCall, module: ModuleCall, ahead: Upcoming | undefined): ModuleRunOptions {
  const { ctx, task, host } = call;
  // until/retries polls the host: every attempt must read it afresh, so no cache for it.
  const cache = task.until === undefined && ctx.options.readAhead !== false ? ctx.probeCache : undefined;
  // Read ahead only for the host's own connection: a delegated task talks to another host.
  const transport = ctx.connections.get(module.target, module.login);
  // (and not for connection: local, whose commands run on the controller)
  const readsAhead = cache !== undefined && module.delegate === undefined && transport.host === host.name && ahead !== undefined;
  return {
    transport,
    become: module.become,
    login: module.login,
    timeoutMs: ctx.options.commandTimeoutMs,
    env: module.env,
    check: module.check,
    cache,
    prefetch: readsAhead ? () => lookaheadProbes(ctx, ahead, host, module.become, module.login) : undefined,
    batch: readsAhead && ctx.options.batch !== false ? (plan, steps) => planBatch({ ctx, scope: call.scope, task, host, call: module }, ahead, plan, steps) : undefined,
    reconnect: (step, timeoutMs) => reconnect(hostLink(ctx, module.target, module.login), step, { become: module.become, timeoutMs }),
    // a check_mode: false task in a --check run runs for real: the host's real state is its answer
    predictions: module.check && ctx.options.check ? ctx.hosts.get(module.target)?.predictions : undefined,
  };
}

function gaveUp(attempt: Attempt, attempts: number): Attempt {
  const message = `${attempt.result.msg ?? ""} (gave up after ${attempts} attempts)`.trim();
  return { ...attempt, result: { ...attempt.result, status: "failed", msg: message, error: { message } } };
}

/** Records register/set_fact/notify and the host's fate once the task's result is known. */
function finish(call: TaskCall, result: TaskResult, attempt: Attempt): TaskResult {
  const { task, host } = call;
  if (result.status !== "failed" && result.status !== "skipped") {
    if (attempt.setFacts) host.setRuntimeVars(attempt.setFacts);
    if (attempt.facts) host.addFacts(attempt.facts);
  }
  if (task.register) host.setRuntimeVars({ [task.register]: attempt.register });
  host.lastTaskChanged = result.status === "changed";
  if (result.status === "changed") for (const name of task.notify) host.notified.add(name);
  if (result.status === "failed") {
    if (ignoresErrors(call)) return { ...result, ignored: true };
    failHost(host, task, { ...attempt.register, msg: result.msg });
  }
  return result;
}

/**
 * A task (or an include being judged) that threw: the host is unreachable, or the task failed
 * with a structured error, registered and ignored as its ignore_errors says.
 */
export function thrown(call: TaskCall, error: unknown): ResultBody {
  const { task, host } = call;
  if (error instanceof UnreachableError) {
    // ignore_unreachable: the result says so, and the host goes on with the play
    if ((task.ignoreUnreachable ?? call.scope.ignoreUnreachable) === true) return { status: "unreachable", msg: error.message, error: { message: error.message }, ignored: true };
    host.fate = "unreachable";
    host.unreachableReason = error.message;
    return { status: "unreachable", msg: error.message, error: { message: error.message } };
  }
  const ignored = ignoresErrors(call);
  const taskError = toTaskError(error);
  // as Ansible, a failure is registered however it came (a template error, a write that failed)
  if (task.register) host.setRuntimeVars({ [task.register]: { changed: false, failed: true, msg: taskError.message } });
  if (!ignored) failHost(host, task, { failed: true, msg: taskError.message });
  return { status: "failed", msg: taskError.message, error: taskError, ignored };
}

/** `ignore_errors` (the task's, else its block's), rendered with the host's variables when templated. */
function ignoresErrors(call: TaskCall): boolean {
  const { ctx, scope, task, host } = call;
  const flag = task.ignoreErrors ?? scope.ignoreErrors;
  if (typeof flag !== "string") return flag === true;
  try {
    return flagValue(flag, taskVars(ctx, scope, task, host), task.where);
  } catch {
    return false; // a template that cannot render ignores nothing: the failure stands
  }
}

export function toTaskError(error: unknown): TaskError {
  if (error instanceof RunbookError) return { message: error.message, location: error.location, hint: error.hint };
  return { message: error instanceof Error ? error.message : String(error) };
}

function failHost(host: HostState, task: TaskNode, result: Vars): void {
  host.fate = "failed";
  host.lastFailure = { task: { name: task.name, action: task.module }, result };
}

/**
 * Check mode, on a host where an earlier would-be change could not be foreseen: a task that
 * cannot even be prepared because a value it reads is missing (a lease a daemon would write,
 * a register of a step that did not run) is unknown too, never a failure.
 */
function unforeseen(call: TaskCall, error: unknown): Attempt | undefined {
  const { ctx, task, host } = call;
  const why = host.predictions.uncertain;
  if (!ctx.options.check || why === undefined || !(error instanceof ParseError) || !/ is undefined/.test(error.message)) return undefined;
  const msg = `result unknown in check mode: ${why}`;
  const register = { changed: false, failed: false, skipped: true, msg: `skipped in check mode: ${msg}` };
  // a controller-only task (set_fact, assert) changes nothing even when its answer is unknown
  if (getModule(task.module)?.local === true) return { result: { status: "ok", msg }, register };
  return { result: { status: "changed", unknown: true, msg: `${UNKNOWN_IN_CHECK_MODE}: ${why}` }, register: { ...register, changed: true } };
}

function skipped(reason: string): Attempt {
  const msg = `skipped: ${reason}`;
  return { result: { status: "skipped", msg }, register: { changed: false, failed: false, skipped: true, skip_reason: msg } };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
