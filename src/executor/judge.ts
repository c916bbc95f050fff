/**
 * A module's outcome judged as the task asks (changed_when, failed_when), and the value that
 * `register:` stores, shaped as Ansible's registered results are.
 */
import type { TaskNode, Vars } from "../playbook/model.js";
import { evaluateCondition } from "../template/index.js";
import { extendVars } from "../vars/lazy.js";
import type { ResultBody } from "./events.js";
import type { ModuleOutcome } from "./module-run.js";

export interface Attempt {
  readonly result: ResultBody;
  /** The value `register:` stores. */
  readonly register: Vars;
  /** set_fact's variables and a facts module's facts, applied to the host when the task ends well. */
  readonly setFacts?: Vars | undefined;
  readonly facts?: Vars | undefined;
}

/** As Ansible's registered result of a step that did not run in check mode. */
const SKIPPED_IN_CHECK_MODE = "skipped in check mode";

export function judge(task: TaskNode, vars: Vars, outcome: ModuleOutcome, delegate: string | undefined): Attempt {
  // As Ansible's task executor, a result the module skipped is not judged by changed_when/failed_when.
  if (outcome.status === "skipped") {
    const register: Vars = { changed: false, failed: false, skipped: true, msg: outcome.msg, ...outcome.data };
    return { result: { status: "skipped", msg: outcome.msg, commands: outcome.commands, delegatedTo: delegate }, register };
  }
  const register = registered(outcome);
  // Built only when a condition reads it: copying a host's variables is the cost of most tasks.
  let judgedVars: Vars | undefined;
  const judged = (): Vars => (judgedVars ??= extendVars(vars, task.register ? { [task.register]: register } : register));
  const unknown = outcome.status === "changed" && outcome.unknown === true;
  // As Ansible's task executor: changed_when is judged on a failed result too (a command that ran
  // and failed changed the host), then failed_when; failed wins over changed in the status.
  let changed = register["changed"] === true;
  let failed = outcome.status === "failed";
  // an unknown result has no output to judge: a condition that needs it leaves the verdict as it is
  if (task.changedWhen) {
    const verdict = conditions(task.changedWhen, judged(), task, "every", unknown);
    if (verdict !== undefined) changed = verdict;
  }
  if (task.failedWhen) {
    const verdict = conditions(task.failedWhen, judged(), task, "some", unknown);
    if (verdict !== undefined) failed = verdict;
  }
  const status = failed ? "failed" : changed ? "changed" : "ok";
  register["changed"] = changed;
  register["failed"] = failed;
  const common = {
    msg: outcome.msg,
    commands: outcome.commands,
    diffs: outcome.diffs,
    rc: outcome.rc,
    stdout: outcome.stdout,
    stderr: outcome.stderr,
    delegatedTo: delegate,
  };
  const setFacts = outcome.status === "ok" ? outcome.setFacts : undefined;
  const facts = outcome.status === "ok" ? outcome.facts : undefined;
  return { result: resultOf(status, outcome, common, unknown, changed), register, setFacts, facts };
}

function resultOf(status: "ok" | "changed" | "failed", outcome: ModuleOutcome, common: Omit<ResultBody, "status">, unknown: boolean, changed: boolean): ResultBody {
  if (status === "failed") {
    const error = outcome.status === "failed" ? outcome.error : { message: "failed_when is true", rc: outcome.rc };
    // a failure that changed the host all the same: the recap counts it as changed once ignored
    return { ...common, status, msg: common.msg ?? error.message, error, changed: changed ? true : undefined };
  }
  if (status === "changed") return { ...common, status, unknown: unknown || undefined };
  return { ...common, status };
}

/** Evaluates changed_when/failed_when; undefined when the result is unknown and a condition needs it. */
function conditions(exprs: readonly string[], vars: Vars, task: TaskNode, mode: "every" | "some", unknown: boolean): boolean | undefined {
  const test = (expr: string): boolean => evaluateCondition(expr, vars, task.where);
  if (!unknown) return mode === "every" ? exprs.every(test) : exprs.some(test);
  try {
    return mode === "every" ? exprs.every(test) : exprs.some(test);
  } catch {
    return undefined;
  }
}

function registered(outcome: ModuleOutcome): Vars {
  if (outcome.status === "changed" && outcome.unknown === true) {
    return { changed: true, failed: false, skipped: true, msg: `${SKIPPED_IN_CHECK_MODE}: ${outcome.msg ?? ""}`.trim(), ...outcome.data };
  }
  const stdout = ends(outcome.stdout, outcome.outputEnds);
  const stderr = ends(outcome.stderr, outcome.outputEnds);
  const register: Vars = {
    changed: outcome.status === "changed" || (outcome.status === "failed" && outcome.changed === true),
    failed: outcome.status === "failed",
    skipped: false,
    msg: outcome.status === "failed" ? outcome.error.message : outcome.msg,
    rc: outcome.rc,
    stdout,
    stderr,
    stdout_lines: lines(stdout),
    stderr_lines: lines(stderr),
    ...outcome.data,
  };
  // as in Ansible, the registered result shows what the task set as ansible_facts
  const facts = outcome.status === "ok" ? (outcome.setFacts ?? outcome.facts) : undefined;
  if (facts) register["ansible_facts"] = facts;
  return register;
}

/**
 * The registered output, ended as the step asked: command/shell drop every final newline
 * (strip_empty_ends), raw and script keep them; by default one final newline is dropped.
 */
function ends(text: string | undefined, outputEnds: ModuleOutcome["outputEnds"]): string {
  if (outputEnds === "as-is") return text ?? "";
  if (outputEnds === "strip-empty-lines") return (text ?? "").replace(/[\r\n]+$/, "");
  return (text ?? "").replace(/\r?\n$/, "");
}

/** Python's splitlines of the registered text, as Ansible's *_lines. */
function lines(text: string): string[] {
  if (!text) return [];
  return text.replace(/\r?\n$/, "").split(/\r?\n/);
}
