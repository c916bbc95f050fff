/**
 * One task on one host: conditions, loop, templating of arguments, validation, the module run
 * (with retries/until), changed_when/failed_when, register and notify. Returns the result;
 * the caller records it.
 */
import { RunbookError, type SourceLocation } from "../errors.js";
import { getModule, validateArgs } from "../modules/registry.js";
import type { TaskNode, Vars } from "../playbook/model.js";
import { evaluateCondition, renderValue } from "../template/index.js";
import { UnreachableError } from "../transport/types.js";
import { becomeFor } from "./become.js";
import type { Condition, RunContext, Scope } from "./context.js";
import type { TaskRef, TaskResult } from "./events.js";
import type { HostState } from "./host-state.js";
import { lookaheadProbes, type Upcoming } from "./lookahead.js";
import { runModule, type ModuleOutcome } from "./module-run.js";
import { conditionsOf } from "./scopes.js";
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
  };
}

/**
 * Runs a task on one host and applies its effects on the host's state (register, set_fact, notify, fate).
 * `upcoming` are the nodes after the task, whose probes may ride along with its own (lookahead.ts).
 */
export async function runTaskOnHost(ctx: RunContext, scope: Scope, task: TaskNode, host: HostState, upcoming?: Upcoming): Promise<TaskResult> {
  const startedAt = Date.now();
  const done = (result: Omit<TaskResult, "host" | "durationMs" | "startedAt">): TaskResult => ({
    host: host.name,
    startedAt,
    durationMs: Date.now() - startedAt,
    ...result,
  });
  try {
    const call: TaskCall = { ctx, scope, task, host, conditions: conditionsOf(scope, task) };
    const vars = taskVars(ctx, scope, task, host);
    const result = task.loop === undefined ? await runOnce(call, vars, upcoming) : await runLoop(call, vars, upcoming);
    return finish(scope, task, host, done(result.result), result);
  } catch (error) {
    if (error instanceof UnreachableError) {
      host.fate = "unreachable";
      host.unreachableReason = error.message;
      return done({ status: "unreachable", msg: error.message });
    }
    const ignored = task.ignoreErrors || scope.ignoreErrors;
    const msg = errorMessage(error);
    if (!ignored) failHost(host, task, { failed: true, msg });
    return done({ status: "failed", msg, ignored });
  }
}

interface Attempt {
  readonly result: Omit<TaskResult, "host" | "durationMs" | "startedAt">;
  /** The value `register:` stores. */
  readonly register: Vars;
  /** set_fact's variables and a facts module's facts, applied to the host when the task ends well. */
  readonly setFacts?: Vars | undefined;
  readonly facts?: Vars | undefined;
}

/** One task on one host: what stays the same across its loop items and retries. */
interface TaskCall {
  readonly ctx: RunContext;
  readonly scope: Scope;
  readonly task: TaskNode;
  readonly host: HostState;
  readonly conditions: readonly Condition[];
}

async function runOnce(call: TaskCall, vars: Vars, upcoming: Upcoming | undefined): Promise<Attempt> {
  const { conditions } = call;
  if (!conditions.every((condition) => evaluateCondition(condition.expr, vars, condition.where))) {
    return skipped(conditions);
  }
  return runWithRetries(call, vars, upcoming);
}

async function runLoop(call: TaskCall, vars: Vars, upcoming: Upcoming | undefined): Promise<Attempt> {
  const { ctx, scope, task, host } = call;
  const items = renderValue(task.loop, vars, task.where);
  if (!Array.isArray(items)) {
    throw new RunbookError("runtime", `loop must be a list, got ${typeof items}`, { location: task.where });
  }
  const results: Vars[] = [];
  let changed = false;
  let failed = false;
  let allSkipped = true;
  const commands: string[] = [];
  // set_fact in a loop sets its variables item by item: the last item's value stands
  let setFacts: Vars | undefined;
  let facts: Vars | undefined;
  for (const [index, item] of items.entries()) {
    const itemVars = extendVars(vars, { [task.loopVar]: item });
    const startedAt = Date.now();
    // the items still to come are read ahead first, then what follows the task
    const rest: Upcoming = { scope, nodes: [], loop: { task, items: items.slice(index + 1) }, then: () => upcoming };
    const attempt = await runOnce(call, itemVars, rest);
    const result = { ...attempt.result, host: host.name, item: loopItemLabel(task, itemVars, item), durationMs: Date.now() - startedAt, startedAt };
    ctx.emit({ type: "item-result", task: taskRef(task, scope), result });
    host.lastTaskChanged = attempt.result.status === "changed";
    results.push({ ...attempt.register, [task.loopVar]: item, item });
    if (attempt.setFacts) setFacts = { ...setFacts, ...attempt.setFacts };
    if (attempt.facts) facts = { ...facts, ...attempt.facts };
    commands.push(...(attempt.result.commands ?? []));
    if (attempt.result.status !== "skipped") allSkipped = false;
    if (attempt.result.status === "changed") changed = true;
    if (attempt.result.status === "failed") failed = true;
  }
  const status = failed ? "failed" : changed ? "changed" : allSkipped && items.length > 0 ? "skipped" : "ok";
  const msg = failed ? "one or more items failed" : undefined;
  return {
    result: { status, msg, commands },
    register: { changed, failed, skipped: status === "skipped", results, msg },
    setFacts,
    facts,
  };
}

async function runWithRetries(call: TaskCall, vars: Vars, upcoming: Upcoming | undefined): Promise<Attempt> {
  const { ctx, scope, task, host } = call;
  const module = getModule(task.module);
  if (!module) throw new RunbookError("parse", `unknown module '${task.module}'`, { location: task.where });
  const rendered = renderValue(task.args, vars, task.where);
  const validation = validateArgs(task.module, rendered);
  if (!validation.ok) {
    const issue = validation.issues[0];
    const path = issue?.path.length ? `${issue.path.join(".")}: ` : "";
    throw new RunbookError("runtime", `${task.module}: ${path}${issue?.message ?? "invalid arguments"}`, { location: task.where, hint: issue?.hint });
  }
  const delegate = task.delegateTo ? String(renderValue(task.delegateTo, vars, task.where)) : undefined;
  const transport = ctx.connections.get(delegate ?? host.name);
  const env = environmentFor(task, vars);
  // In check mode commands do not run, so `until` cannot come true: one attempt, not judged by it.
  const retrying = task.until !== undefined && !ctx.options.check;
  const attempts = retrying ? Math.max(1, task.retries) : 1;
  const become = becomeFor(ctx, scope, task, host, vars);
  // until/retries polls the host: every attempt must read it afresh, so no cache for it.
  const probeCache = task.until === undefined && ctx.options.readAhead !== false ? ctx.probeCache : undefined;
  // Read ahead only for the host's own connection: a delegated task talks to another host.
  const prefetch = probeCache && delegate === undefined && upcoming !== undefined ? () => lookaheadProbes(ctx, upcoming, host, become) : undefined;
  let attempt: Attempt | undefined;
  for (let i = 0; i < attempts; i++) {
    if (i > 0) await sleep(task.delaySeconds * 1000);
    const outcome = await runModule({
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
      timeoutMs: ctx.options.commandTimeoutMs,
      env,
      probeCache,
      prefetch,
    });
    attempt = judge(task, vars, outcome, delegate);
    if (!retrying || task.until === undefined) break;
    const untilVars = extendVars(vars, task.register ? { [task.register]: attempt.register } : attempt.register);
    if (attempt.result.status !== "failed" && evaluateCondition(task.until, untilVars, task.where)) break;
    if (i === attempts - 1) {
      attempt = { ...attempt, result: { ...attempt.result, status: "failed", msg: `${attempt.result.msg ?? ""} (gave up after ${attempts} attempts)`.trim() } };
    }
  }
  return attempt as Attempt;
}

/** Applies changed_when / failed_when to a module's outcome and builds the registered value. */
function judge(task: TaskNode, vars: Vars, outcome: ModuleOutcome, delegate: string | undefined): Attempt {
  let status: "ok" | "changed" | "failed" = outcome.status;
  const register: Vars = {
    changed: status === "changed",
    failed: status === "failed",
    skipped: false,
    msg: outcome.msg,
    rc: outcome.rc,
    // Like Ansible, the registered output loses its final newline.
    stdout: chomp(outcome.stdout),
    stderr: chomp(outcome.stderr),
    stdout_lines: lines(outcome.stdout),
    stderr_lines: lines(outcome.stderr),
    ...outcome.data,
  };
  const judged = extendVars(vars, task.register ? { [task.register]: register } : register);
  if (task.changedWhen && status !== "failed") {
    status = task.changedWhen.every((expr) => evaluateCondition(expr, judged, task.where)) ? "changed" : "ok";
  }
  if (task.failedWhen) {
    const failed = task.failedWhen.some((expr) => evaluateCondition(expr, judged, task.where));
    status = failed ? "failed" : status === "failed" ? "ok" : status;
  }
  register["changed"] = status === "changed";
  register["failed"] = status === "failed";
  // as in Ansible, the registered result shows what the task set as ansible_facts
  const facts = outcome.setFacts ?? outcome.facts;
  if (facts) register["ansible_facts"] = facts;
  return {
    result: {
      status,
      msg: outcome.msg,
      commands: outcome.commands,
      diffs: outcome.diffs,
      rc: outcome.rc,
      stdout: outcome.stdout,
      stderr: outcome.stderr,
      delegatedTo: delegate,
    },
    register,
    setFacts: outcome.setFacts,
    facts: outcome.facts,
  };
}

/** Records register/set_fact/notify and the host's fate once the task's result is known. */
function finish(scope: Scope, task: TaskNode, host: HostState, result: TaskResult, attempt: Attempt): TaskResult {
  const { register } = attempt;
  if (result.status !== "failed" && result.status !== "skipped") {
    if (attempt.setFacts) host.setRuntimeVars(attempt.setFacts);
    if (attempt.facts) host.addFacts(attempt.facts);
  }
  if (task.register) host.setRuntimeVars({ [task.register]: register });
  host.lastTaskChanged = result.status === "changed";
  if (result.status === "changed") for (const name of task.notify) host.notified.add(name);
  if (result.status === "failed") {
    if (task.ignoreErrors || scope.ignoreErrors) return { ...result, ignored: true };
    failHost(host, task, { ...register, msg: result.msg });
  }
  return result;
}

function failHost(host: HostState, task: TaskNode, result: Vars): void {
  host.fate = "failed";
  host.lastFailure = { task: { name: task.name, action: task.module }, result };
}

/** `environment:` rendered to string values, for the commands a module runs. */
function environmentFor(task: TaskNode, vars: Vars): Record<string, string> | undefined {
  if (task.environment === undefined) return undefined;
  const rendered = renderValue(task.environment, vars, task.where);
  if (typeof rendered !== "object" || rendered === null || Array.isArray(rendered)) {
    throw new RunbookError("runtime", "environment must be a mapping of variable names to values", { location: task.where });
  }
  return Object.fromEntries(Object.entries(rendered).map(([key, value]) => [key, String(value)]));
}

function skipped(conditions: readonly Condition[]): Attempt {
  const msg = `skipped: ${conditions.map((condition) => condition.expr).join(" and ")} is false`;
  return { result: { status: "skipped", msg }, register: { changed: false, failed: false, skipped: true, skip_reason: msg } };
}

function chomp(text: string | undefined): string {
  return (text ?? "").replace(/\r?\n$/, "");
}

function lines(text: string | undefined): string[] {
  if (!text) return [];
  return text.replace(/\n$/, "").split("\n");
}

/** A located error in a result's msg, laid out like the CLI's errors (report/error-format.ts): message, --> where, hint. */
function errorMessage(error: unknown): string {
  if (error instanceof RunbookError && error.location) {
    const where: SourceLocation = error.location;
    return `${error.message}\n--> ${where.file}:${where.line}:${where.column}${error.hint ? `\nhint: ${error.hint}` : ""}`;
  }
  return error instanceof Error ? error.message : String(error);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
