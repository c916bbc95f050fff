/**
 * Pre-flight: before the first task runs, prepare every task (prepare.ts: `when`, `loop`,
 * arguments, `environment`, and a template task's template file) for every host it would run on, so that
 * an undefined variable, a template syntax error or a bad expression stops the run with exit 4
 * while NOTHING has been applied to any host.
 *
 * Only what is knowable before the run is checked. A task is left to run time when it depends on
 * values that only exist then: registered results, set_fact names, loop variables, gathered
 * facts (ansible_*, facts) and hostvars. A `when` that is false for a host (or unknowable) means
 * its arguments are not checked for that host, because Ansible renders nothing of a skipped task.
 */
import { didYouMean, ParseError } from "../errors.js";
import type { Play, TaskNode, Vars } from "../playbook/model.js";
import { evaluateCondition, renderTemplateFile, renderValue } from "../template/index.js";
import type { Inventory } from "../inventory/types.js";
import type { RunContext, Scope } from "./context.js";
import { HostState } from "./host-state.js";
import { getModule } from "../modules/registry.js";
import { findLocalFile, readLocalFile } from "./local-files.js";
import { playHostNames } from "./play-runner.js";
import { taskVars, type VarsContext } from "./task-vars.js";
import { conditionsOf, playScope } from "./scopes.js";
import { ANY_NAME, dependsOnRuntime, loopItems, prepare } from "./prepare.js";
import { walkNodes } from "./walk.js";
import { Connections } from "./connections.js";
import { loopItemVars } from "./loop-items.js";
import { relocate } from "./text-location.js";
import { extendVars } from "../vars/lazy.js";

export type PreflightContext = Pick<RunContext, "playbook" | "inventory" | "options">;

/** Names whose values only exist while the run goes on; errors about them are not pre-flight errors. */
export function runtimeNames(ctx: PreflightContext): Set<string> {
  const names = new Set(["facts", "ansible_facts", "hostvars", "item"]);
  for (const play of ctx.playbook.plays) {
    const scope = playScope(play, [], []);
    for (const walked of walkNodes([...play.preTasks, ...play.tasks, ...play.postTasks, ...play.handlers], scope, true)) {
      if (walked.kind === "stop") {
        if (walked.node.kind === "include") names.add(walked.node.loopVar);
        continue;
      }
      const { task } = walked;
      if (task.register) names.add(task.register);
      names.add(task.loopVar);
      if (task.module === "set_fact") for (const key of Object.keys(task.args)) names.add(key);
      // include_vars sets whatever its files hold: any name may come from it, unless it names one
      if (task.module === "include_vars") names.add(typeof task.args["name"] === "string" ? task.args["name"] : ANY_NAME);
      // a facts module's facts, like set_fact names, exist only once the task has run
      for (const name of getModule(task.module)?.factNames ?? []) names.add(name);
    }
  }
  return names;
}

type PreflightVars = VarsContext & Pick<RunContext, "connections">;

/** The first problem found, as a located ParseError, or undefined when every checkable task renders. */
export function preflightCheck(input: PreflightContext): ParseError | undefined {
  // logins are resolved as the run does (no connection is opened)
  const connections = new Connections(input.inventory, { user: input.options.remoteUser }, input.options.extraVars);
  const ctx: PreflightVars = { ...input, hostvars: inventoryHostvars(input.inventory), groups: input.inventory.groupsMap(), connections };
  const checker = new Checker(ctx, runtimeNames(input));
  for (const play of ctx.playbook.plays) {
    const problem = checker.play(play);
    if (problem) return problem;
  }
  return undefined;
}

/** hostvars as they are before the run: each host's inventory variables. */
function inventoryHostvars(inventory: Inventory): Record<string, Vars> {
  const hostvars: Record<string, Vars> = {};
  for (const name of inventory.hosts.keys()) hostvars[name] = { ...inventory.hostVars(name), inventory_hostname: name };
  return hostvars;
}

/** A thin policy over prepare(): every task, on every host it would run on, before anything runs. */
class Checker {
  constructor(
    private readonly ctx: PreflightVars,
    private readonly dynamic: ReadonlySet<string>,
  ) {}

  play(play: Play): ParseError | undefined {
    const hosts = this.playHosts(play);
    const scope = playScope(play, hosts, hosts);
    const sections = [...play.preTasks, ...play.tasks, ...play.postTasks, ...play.handlers];
    for (const name of hosts) {
      const host = new HostState(name, this.ctx.inventory.hostVars(name), {}, this.ctx.inventory.groupNames(name));
      for (const walked of walkNodes(sections, scope, true)) {
        const problem = walked.kind === "task" ? this.task(walked.task, walked.scope, host) : undefined;
        if (problem) return problem;
      }
    }
    return undefined;
  }

  private playHosts(play: Play): string[] {
    try {
      return playHostNames(this.ctx.inventory, play, this.ctx.options.limit);
    } catch {
      return []; // the run itself reports patterns that match nothing
    }
  }

  private task(task: TaskNode, scope: Scope, host: HostState): ParseError | undefined {
    const vars = taskVars(this.ctx, scope, task, host);
    const problem = this.taskProblem(task, scope, host, vars);
    return problem && suggestName(problem, vars);
  }

  private taskProblem(task: TaskNode, scope: Scope, host: HostState, vars: Vars): ParseError | undefined {
    let items: unknown[] = [undefined];
    if (task.loop !== undefined) {
      // a loop over a register is judged per item at run time; its `when` may skip it all
      const rendered = this.attempt(() => loopItems(task, vars), task.loop);
      if (rendered instanceof ParseError) return typeof task.loop === "string" ? relocate(rendered, task.where, task.loop) : rendered;
      if (rendered === SKIP) return undefined;
      items = rendered;
    }
    for (const index of items.keys()) {
      // extendVars keeps the lazy getters: spreading would render every variable here, outside attempt()
      const itemVars: Vars = task.loop === undefined ? vars : extendVars(vars, loopItemVars(task, items, index));
      const problem = this.prepared(task, scope, host, itemVars);
      if (problem) return problem;
    }
    return undefined;
  }

  /** One task (or item) through prepare(): a located error, or undefined when it renders or cannot be known yet. */
  private prepared(task: TaskNode, scope: Scope, host: HostState, vars: Vars): ParseError | undefined {
    const prepared = prepare(this.ctx, scope, task, host, vars, (error) => dependsOnRuntime(error, this.dynamic));
    if (prepared.kind === "ready") return this.templateFile(task, scope, prepared.call.args, vars);
    if (prepared.kind !== "error" || !(prepared.error instanceof ParseError)) return undefined;
    const culprit = locate(prepared.error, task, scope, vars);
    if (dependsOnRuntime(culprit.error, this.dynamic)) return undefined;
    // an undefined name that is not a run-time one is an error, whatever else the text mentions
    if (/ is undefined/.test(culprit.error.message)) return culprit.error;
    return mentions(culprit.source, this.dynamic) ? undefined : culprit.error;
  }

  /** A template task's template file renders with the variables known before the run. */
  private templateFile(task: TaskNode, scope: Scope, args: unknown, vars: Vars): ParseError | undefined {
    if (getModule(task.module)?.name !== "template" || typeof args !== "object" || args === null) return undefined;
    const src = (args as Vars)["src"];
    if (typeof src !== "string") return undefined;
    const problem = this.attempt(() => {
      const file = findLocalFile(src, "templates", this.ctx.playbook, task.role ?? scope.role);
      const text = readLocalFile(file).toString("utf8");
      if (mentions(text, this.dynamic)) return SKIP;
      return renderTemplateFile(file, text, vars);
    }, undefined);
    return problem instanceof ParseError ? problem : undefined;
  }

  /**
   * Runs a render; a ParseError about a run-time name (or in text that mentions one) is not a
   * pre-flight problem and yields SKIP. Errors that are not located (a missing file) are left
   * to the run, which reports them per host.
   */
  private attempt<T>(render: () => T, source: unknown): T | ParseError | typeof SKIP {
    try {
      return render();
    } catch (error) {
      if (!(error instanceof ParseError)) return SKIP;
      if (dependsOnRuntime(error, this.dynamic)) return SKIP;
      return mentions(JSON.stringify(source) ?? "", this.dynamic) ? SKIP : error;
    }
  }
}

/**
 * Which part of a task an error came from (a condition, an argument string), and the error
 * moved to where that part is written: a task keeps only the location where it starts.
 */
function locate(error: ParseError, task: TaskNode, scope: Scope, vars: Vars): { error: ParseError; source: string } {
  for (const condition of conditionsOf(scope, task)) {
    const found = parseErrorOf(() => evaluateCondition(condition.expr, vars, condition.where));
    if (found) return { error: relocate(found, condition.where, condition.expr), source: condition.expr };
  }
  for (const leaf of stringLeaves(task.args)) {
    const found = parseErrorOf(() => renderValue(leaf, vars, task.where));
    if (found) return { error: relocate(found, task.where, leaf), source: leaf };
  }
  return { error, source: JSON.stringify([task.args, task.environment, task.delegateTo]) ?? "" };
}

function parseErrorOf(render: () => unknown): ParseError | undefined {
  try {
    render();
    return undefined;
  } catch (error) {
    return error instanceof ParseError ? error : undefined;
  }
}

const SKIP = Symbol("unknowable before the run");

/** Whether `text` names any of `names` (or a fact) as a word. */
function mentions(text: string, names: ReadonlySet<string>): boolean {
  for (const word of text.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []) {
    if (names.has(word) || word.startsWith("ansible_")) return true;
  }
  return false;
}

/** Every string inside a task's arguments, depth first. */
function stringLeaves(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(stringLeaves);
  if (value !== null && typeof value === "object") return Object.values(value).flatMap(stringLeaves);
  return [];
}

/** An undefined variable's error gets a did-you-mean from the names the task could see. */
function suggestName(error: ParseError, vars: Vars): ParseError {
  const name = /^'([^'.[\]]+)'/.exec(error.message)?.[1];
  const suggestion = name === undefined || !/is undefined/.test(error.message) ? undefined : didYouMean(name, Object.keys(vars));
  if (suggestion === undefined) return error;
  return new ParseError(error.message, { location: error.location, hint: `${suggestion} ${error.hint ?? ""}`.trim(), cause: error });
}
