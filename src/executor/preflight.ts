/**
 * Pre-flight: before the first task runs, render every task's `when`, `loop`, arguments and
 * `environment` (and a template task's template file) for every host it would run on, so that
 * an undefined variable, a template syntax error or a bad expression stops the run with exit 4
 * while NOTHING has been applied to any host.
 *
 * Only what is knowable before the run is checked. A task is left to run time when it depends on
 * values that only exist then: registered results, set_fact names, loop variables, gathered
 * facts (ansible_*, facts) and hostvars. A `when` that is false for a host (or unknowable) means
 * its arguments are not checked for that host, because Ansible renders nothing of a skipped task.
 */
import { didYouMean, ParseError, RunbookError } from "../errors.js";
import type { BlockNode, Node, Play, TaskNode, Vars } from "../playbook/model.js";
import { evaluateCondition, renderTemplateFile, renderValue } from "../template/index.js";
import type { Inventory } from "../inventory/types.js";
import type { RunContext, Scope } from "./context.js";
import { HostState } from "./host-state.js";
import { getModule } from "../modules/registry.js";
import { findLocalFile, readLocalFile } from "./local-files.js";
import { playHostNames } from "./play-runner.js";
import { taskVars, type VarsContext } from "./task-vars.js";
import { blockScope, conditionsOf, playScope } from "./scopes.js";
import { relocate } from "./text-location.js";
import { extendVars } from "../vars/lazy.js";

export type PreflightContext = Pick<RunContext, "playbook" | "inventory" | "options">;

/** Names whose values only exist while the run goes on; errors about them are not pre-flight errors. */
export function runtimeNames(ctx: PreflightContext): Set<string> {
  const names = new Set(["facts", "ansible_facts", "hostvars", "item"]);
  const visit = (nodes: readonly Node[]): void => {
    for (const node of nodes) {
      if (node.kind === "task") {
        if (node.register) names.add(node.register);
        names.add(node.loopVar);
        if (node.module === "set_fact") for (const key of Object.keys(node.args)) names.add(key);
        // a facts module's facts, like set_fact names, exist only once the task has run
        for (const name of getModule(node.module)?.factNames ?? []) names.add(name);
      } else if (node.kind === "block") {
        visit(node.block);
        visit(node.rescue);
        visit(node.always);
      } else if (node.kind === "include") {
        names.add(node.loopVar);
      }
    }
  };
  for (const play of ctx.playbook.plays) {
    visit([...play.preTasks, ...play.tasks, ...play.postTasks, ...play.handlers]);
  }
  return names;
}

/** The first problem found, as a located ParseError, or undefined when every checkable task renders. */
export function preflightCheck(input: PreflightContext): ParseError | undefined {
  const ctx: VarsContext = { ...input, hostvars: inventoryHostvars(input.inventory), groups: input.inventory.groupsMap() };
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

class Checker {
  constructor(
    private readonly ctx: VarsContext,
    private readonly dynamic: ReadonlySet<string>,
  ) {}

  play(play: Play): ParseError | undefined {
    const hosts = this.playHosts(play);
    const scope = playScope(play, hosts, hosts);
    for (const name of hosts) {
      const host = new HostState(name, this.ctx.inventory.hostVars(name), {}, this.ctx.inventory.groupNames(name));
      for (const section of [play.preTasks, play.tasks, play.postTasks, play.handlers]) {
        const problem = this.nodes(section, scope, host);
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

  private nodes(nodes: readonly Node[], scope: Scope, host: HostState): ParseError | undefined {
    for (const node of nodes) {
      const problem = node.kind === "task" ? this.task(node, scope, host) : node.kind === "block" ? this.block(node, scope, host) : undefined;
      if (problem) return problem;
    }
    return undefined;
  }

  private block(block: BlockNode, scope: Scope, host: HostState): ParseError | undefined {
    const inner = blockScope(scope, block);
    return this.nodes(block.block, inner, host) ?? this.nodes(block.rescue, inner, host) ?? this.nodes(block.always, inner, host);
  }

  private task(task: TaskNode, scope: Scope, host: HostState): ParseError | undefined {
    const vars = taskVars(this.ctx, scope, task, host);
    const problem = this.taskProblem(task, scope, vars);
    return problem && suggestName(problem, vars);
  }

  private taskProblem(task: TaskNode, scope: Scope, vars: Vars): ParseError | undefined {
    const conditions = conditionsOf(scope, task);
    let runs = true;
    for (const condition of conditions) {
      const verdict = this.attempt(() => evaluateCondition(condition.expr, vars, condition.where), condition.expr);
      if (verdict instanceof ParseError) return relocate(verdict, condition.where, condition.expr);
      if (verdict !== true) runs = false; // false, or unknowable before the run
    }
    if (!runs) return undefined;
    const items = task.loop === undefined ? [undefined] : this.attempt(() => renderValue(task.loop, vars, task.where), task.loop);
    if (items instanceof ParseError) return typeof task.loop === "string" ? relocate(items, task.where, task.loop) : items;
    if (!Array.isArray(items)) return undefined;
    for (const item of items) {
      // extendVars keeps the lazy getters: spreading would render every variable here, outside attempt()
      const itemVars: Vars = task.loop === undefined ? vars : extendVars(vars, { [task.loopVar]: item });
      const problem = this.arguments(task, scope, itemVars);
      if (problem) return problem;
    }
    return undefined;
  }

  private arguments(task: TaskNode, scope: Scope, vars: Vars): ParseError | undefined {
    for (const leaf of stringLeaves(task.args)) {
      const rendered = this.attempt(() => renderValue(leaf, vars, task.where), leaf);
      if (rendered instanceof ParseError) return relocate(rendered, task.where, leaf);
    }
    const args = this.attempt(() => renderValue(task.args, vars, task.where), task.args);
    if (args instanceof ParseError) return args;
    if (task.environment !== undefined) {
      const environment = this.attempt(() => renderValue(task.environment, vars, task.where), task.environment);
      if (environment instanceof ParseError) return environment;
    }
    if (task.module === "template" && args !== SKIP && typeof args === "object" && args !== null) {
      const src = (args as Vars)["src"];
      if (typeof src !== "string") return undefined;
      const problem = this.attempt(() => {
        const file = findLocalFile(src, "templates", this.ctx.playbook, task.role ?? scope.role);
        const text = readLocalFile(file).toString("utf8");
        if (mentions(text, this.dynamic)) return SKIP;
        return renderTemplateFile(file, text, vars);
      }, undefined);
      if (problem instanceof ParseError) return problem;
    }
    return undefined;
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
      if (!(error instanceof ParseError)) {
        if (error instanceof RunbookError || error instanceof Error) return SKIP;
        throw error;
      }
      const undefinedName = /^'([^'.[\]]+)[^']*' is undefined/.exec(error.message)?.[1];
      if (undefinedName !== undefined) return this.isDynamic(undefinedName) ? SKIP : error;
      return mentions(JSON.stringify(source) ?? "", this.dynamic) ? SKIP : error;
    }
  }

  private isDynamic(name: string): boolean {
    return this.dynamic.has(name) || name.startsWith("ansible_");
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
