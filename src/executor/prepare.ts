/**
 * The one step from a task (or one loop item of it) on one host to a module call: conditions,
 * then arguments rendered and validated, delegation, become, environment, and the facts the
 * module asks for. The run, the look-ahead and the pre-flight all go through it; they differ only
 * in what they do with its verdict:
 *
 *   skip       a condition is false
 *   ready      the call, with everything the module needs but the host's answers
 *   unknowable it depends on a value that exists only later in the run (a register, a fact)
 *   error      the task is wrong for this host (the run fails it, the pre-flight reports it)
 */
import { ParseError, RunbookError } from "../errors.js";
import { getModule, validateArgs } from "../modules/registry.js";
import type { FactRequests, ModuleDefinition, PlanContext } from "../modules/types.js";
import type { Play, TaskNode, Vars } from "../playbook/model.js";
import { evaluateCondition, renderValue } from "../template/index.js";
import type { BecomeOptions } from "../transport/types.js";
import { becomeFor } from "./become.js";
import type { Login } from "./connections.js";
import { loginFor } from "./login.js";
import type { RunContext, Scope } from "./context.js";
import type { HostState } from "./host-state.js";
import { planContext } from "./module-run.js";
import { optionalFlag } from "./flags.js";
import { renderLoopItems } from "./loop-items.js";
import { conditionsOf } from "./scopes.js";
import { extendVars } from "../vars/lazy.js";

export interface ModuleCall {
  readonly module: ModuleDefinition;
  /** Validated arguments. */
  readonly args: unknown;
  readonly planContext: PlanContext;
  /** What the module asked to know about the host. */
  readonly facts: FactRequests;
  /** The host whose connection runs the call: the task's host, or its `delegate_to`. */
  readonly target: string;
  readonly delegate?: string | undefined;
  /** How the commands reach `target`: its connection in the pool (connections.ts). */
  readonly login: Login;
  readonly become: BecomeOptions | undefined;
  readonly env?: Readonly<Record<string, string>> | undefined;
  /** Whether the call only plans: --check, unless the task's (or its block's) `check_mode` says otherwise. */
  readonly check: boolean;
}

export type Prepared =
  | { readonly kind: "skip"; readonly reason: string }
  | { readonly kind: "ready"; readonly call: ModuleCall }
  | { readonly kind: "unknowable"; readonly why: string }
  | { readonly kind: "error"; readonly error: unknown };

export type PrepareContext = Pick<RunContext, "playbook" | "options" | "connections">;

/**
 * `later`: which errors mean "not knowable yet" (a value that exists only once the run gets
 * there: a register, a set_fact name, a loop variable, a fact), given by the look-ahead and the
 * pre-flight; such an error is `unknowable`. The run passes none: there, every error is the task's.
 */
export function prepare(ctx: PrepareContext, scope: Scope, task: TaskNode, host: HostState, vars: Vars, later?: (error: unknown) => boolean): Prepared {
  try {
    const conditions = conditionsOf(scope, task);
    const failing = conditions.find((condition) => !evaluateCondition(condition.expr, vars, condition.where));
    if (failing !== undefined) return { kind: "skip", reason: `${conditions.map((condition) => condition.expr).join(" and ")} is false` };
    return { kind: "ready", call: moduleCall(ctx, scope, task, host, vars) };
  } catch (error) {
    if (later?.(error) === true) return { kind: "unknowable", why: error instanceof Error ? error.message : String(error) };
    return { kind: "error", error };
  }
}

function moduleCall(ctx: PrepareContext, scope: Scope, task: TaskNode, host: HostState, vars: Vars): ModuleCall {
  const module = getModule(task.module);
  if (!module) throw new RunbookError("parse", `unknown module '${task.module}'`, { location: task.where });
  const validation = validateArgs(task.module, renderValue(task.args, vars, task.where));
  if (!validation.ok) {
    const issue = validation.issues[0];
    const path = issue?.path.length ? `${issue.path.join(".")}: ` : "";
    throw new RunbookError("runtime", `${task.module}: ${path}${issue?.message ?? "invalid arguments"}`, { location: task.where, hint: issue?.hint });
  }
  const delegate = task.delegateTo === undefined ? undefined : String(renderValue(task.delegateTo, vars, task.where));
  const target = delegate ?? host.name;
  const login = loginFor(ctx, scope, task, target, vars, delegate !== undefined);
  const check = optionalFlag(task.checkMode ?? scope.checkMode, vars, task.where) ?? ctx.options.check;
  const context = callContext(ctx, scope, task, host, vars, check);
  return {
    module,
    args: validation.args,
    planContext: context,
    facts: module.local ? {} : (module.facts?.(validation.args, context) ?? {}),
    target,
    delegate,
    login,
    become: becomeFor(ctx, scope, task, host, vars, login),
    env: environmentFor(scope.play.environment, task, vars),
    check,
  };
}

/** What the module's plan sees: the host, its facts, the variables. */
function callContext(ctx: PrepareContext, scope: Scope, task: TaskNode, host: HostState, vars: Vars, check: boolean): PlanContext {
  // a task's `diff:` tells its module to read what a diff needs; ansible_diff_mode stays --diff's, as in Ansible
  const moduleVars = task.diff === undefined ? vars : extendVars(vars, { ansible_diff_mode: task.diff });
  return planContext({ host: host.name, facts: host.facts, vars: moduleVars, check, playbook: ctx.playbook, role: task.role ?? scope.role });
}

/** A call prepared earlier against equal variables, its plan context now on `vars` (prepared-ahead.ts). */
export function callOnVars(ctx: PrepareContext, scope: Scope, task: TaskNode, host: HostState, call: Omit<ModuleCall, "planContext">, vars: Vars): ModuleCall {
  return { ...call, planContext: callContext(ctx, scope, task, host, vars, call.check) };
}

/** The play's `environment:` and the task's (which wins, name by name), rendered to string values, for the commands a module runs. */
function environmentFor(play: Play["environment"], task: TaskNode, vars: Vars): Record<string, string> | undefined {
  if (play === undefined && task.environment === undefined) return undefined;
  const render = (environment: Play["environment"]): Vars => {
    if (environment === undefined) return {};
    const rendered = renderValue(environment, vars, task.where);
    if (typeof rendered !== "object" || rendered === null || Array.isArray(rendered)) {
      throw new RunbookError("runtime", "environment must be a mapping of variable names to values", { location: task.where });
    }
    return rendered as Vars;
  };
  return Object.fromEntries(Object.entries({ ...render(play), ...render(task.environment) }).map(([key, value]) => [key, String(value)]));
}

/** The items of a looped task, rendered; an error when `loop` is not a list. */
export function loopItems(task: TaskNode, vars: Vars): unknown[] {
  return renderLoopItems(task, vars);
}

/** In a set of runtime-only names: every name may be set at run time (an include_vars without `name`). */
export const ANY_NAME = "*";

/** Whether an error is about a value that exists only later in the run (`runtimeOnly` names, facts). */
export function dependsOnRuntime(error: unknown, runtimeOnly: ReadonlySet<string>): boolean {
  if (!(error instanceof ParseError)) return true; // a missing file, a bad value: the run reports it per host
  const name = /^'([^'.[\]]+)[^']*' is undefined/.exec(error.message)?.[1];
  return name !== undefined && (runtimeOnly.has(name) || runtimeOnly.has(ANY_NAME) || name.startsWith("ansible_"));
}
