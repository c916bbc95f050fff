/**
 * Batching: when a task is about to change a host, the tasks that follow it on that host whose
 * plans are already known join its script (batch-apply.ts), so a run of changing tasks costs
 * one round trip instead of one per step. Each task still reports its own result in its own
 * turn (task-runner.ts), and the probes of the tasks after the batch ride along, read after
 * the steps, so the next task finds its facts waiting.
 *
 * A following task joins only while its plan is the one the run would make when it got there:
 * - its facts were read in the current generation (probe-cache.ts: nothing ran on the host
 *   since), and no earlier task of the batch touches what they read: a fact's subject is apart
 *   from every effect declared before it, or lies under a path the batch removes or makes anew
 *   (then it is absent, exactly as check mode predicts it); a fact without a subject, an
 *   earlier change that declared no effects or unknown ones, ends the batch;
 * - its arguments and conditions render as they would then: the batch ends at a task whose
 *   result decides what comes next (register, changed_when, failed_when: such a task may close
 *   the batch, not sit inside it), at controller-side tasks (set_fact and the like), loops,
 *   until, delegate_to, run_once, throttle, another become or environment, check_mode, and
 *   where the walk cannot see ahead (includes, meta, a handler flush between sections, plays);
 * - nothing decides between hosts in between: no any_errors_fatal, no max_fail_percentage.
 * A task skipped by its condition is passed over (the run skips it again in its turn).
 * Guessing wrong here can only shorten a batch: the tasks left out run one by one as before.
 * RUNBOOK_BATCH=off (ExecutorOptions.batch) runs every task's steps on their own.
 */
import { posix } from "node:path";
import type { Effect, Fact, PathAfter, Plan, Probe, Step } from "../modules/types.js";
import type { TaskNode } from "../playbook/model.js";
import { loginUser, sameBecome } from "./become.js";
import { sameLogin } from "./connections.js";
import { isScriptStep, stepsLength } from "./batch-apply.js";
import type { RunContext, Scope } from "./context.js";
import type { HostState } from "./host-state.js";
import { lookaheadProbes, type Upcoming } from "./lookahead.js";
import { decide, type ModuleOutcome, type ToApply } from "./module-run.js";
import { Predictions } from "./predictions.js";
import type { ModuleCall } from "./prepare.js";
import { prepareAhead } from "./prepared-ahead.js";
import { probeKey } from "./probe-cache.js";
import { selectedTask } from "./tags.js";
import { taskVars } from "./task-vars.js";
import { walkNodes } from "./walk.js";

/** A task whose steps run in an earlier task's script. */
export interface BatchMember extends ToApply {
  readonly task: TaskNode;
}

/** A member's outcome, kept on its host until the run reaches it; `thrown`: what its step threw (a write that failed). */
export type BatchedOutcome = { readonly outcome: ModuleOutcome } | { readonly thrown: unknown };

/** A member's outcome as its host keeps it, with its share of the script's time. */
export type KeptOutcome = BatchedOutcome & { readonly ms: number };

export interface Batch {
  readonly members: readonly BatchMember[];
  /** Read after every step ran, for the tasks after the batch. */
  readonly probes: readonly Probe[];
  /** Keeps a member's outcome, and `ms` of the script's time for it (the leading task's result reports the rest). */
  keep(task: TaskNode, outcome: BatchedOutcome, ms: number): void;
}

/** The leading task: the one whose turn it is. */
export interface Lead {
  readonly ctx: RunContext;
  readonly scope: Scope;
  readonly task: TaskNode;
  readonly host: HostState;
  readonly call: ModuleCall;
}

/** A batch leaves room in the 128 KiB command line for the probes after it. */
const MAX_SCRIPT_BYTES = 96 * 1024;
const MAX_MEMBERS = 64;
/** After a change, how far past the batch to read ahead for the next one (more would be read again after its steps). */
const PROBE_TASKS = 4;

export function planBatch(lead: Lead, ahead: Upcoming | undefined, plan: Plan, steps: readonly Step[]): Batch | undefined {
  const { ctx, host, call } = lead;
  const leadLength = stepsLength(steps);
  // a large upload goes alone, through the channel's stdin: in a script it would be printf's text
  if (leadLength > MAX_SCRIPT_BYTES) return undefined;
  const members = leads(lead, plan) ? following(lead, ahead, plan, leadLength) : [];
  const taken = new Set(members.flatMap((member) => member.probes));
  const probes = lookaheadProbes(ctx, ahead, host, call.become, call.login, { afterChange: true, tasks: members.length + PROBE_TASKS }).filter((probe) => !taken.has(probeKey(probe, call.become, call.login)));
  if (members.length === 0 && probes.length === 0) return undefined;
  host.batched.clear();
  return {
    members,
    probes,
    keep: (task, outcome, ms) => {
      host.batched.set(task, { ...outcome, ms });
      host.timeShiftMs -= ms;
    },
  };
}

/** Whether tasks may follow this one in its script. */
function leads({ ctx, scope, task, call }: Lead, plan: Plan): boolean {
  if (plan.kind !== "change" || !foreseeable(plan.effects)) return false;
  // a play's throttle bounds every task across hosts, which one host's script of many tasks would pass by
  if (scope.play.maxFailPercentage !== undefined || scope.play.anyErrorsFatal || scope.anyErrorsFatal !== undefined || scope.play.throttle !== undefined) return false;
  if (ctx.options.commandTimeoutMs !== undefined || ctx.startAt.pending !== undefined) return false;
  return !decidesNext(task) && task.loop === undefined && call.delegate === undefined && !call.check && eligible(task) && scriptable(plan.steps);
}

const scriptable = (steps: readonly Step[]): boolean => steps.every(isScriptStep);

/** A task whose result the tasks after it may depend on: it can end a batch, not sit inside one. */
function decidesNext(task: TaskNode): boolean {
  return task.register !== undefined || task.changedWhen !== undefined || task.failedWhen !== undefined;
}

/** Keywords under which a task cannot run in another's script. */
function eligible(task: TaskNode): boolean {
  // async and timeout bound the task's own run (async-job.ts), which a shared script cannot
  return task.until === undefined && task.delegateTo === undefined && task.runOnce === false && task.throttle === undefined && task.anyErrorsFatal === undefined && task.async === undefined && task.timeout === undefined;
}

interface Candidate extends BatchMember {
  /** Keys of the probes its plan was made from. */
  readonly probes: readonly string[];
  readonly effects: readonly Effect[] | undefined;
}

/** The tasks after the lead that join it, in run order. */
function following(lead: Lead, ahead: Upcoming | undefined, plan: Plan, leadLength: number): Candidate[] {
  const members: Candidate[] = [];
  const effects: Effect[] = [...((plan.kind === "change" && plan.effects) || [])];
  let length = leadLength;
  for (let frame = ahead; frame !== undefined; frame = frame.then?.()) {
    if (frame.loop !== undefined || frame.hosts !== undefined || frame.afterHandlers === true) return members;
    for (const walked of walkNodes(frame.nodes, frame.scope, false, true)) {
      if (walked.kind === "stop" || members.length >= MAX_MEMBERS) return members;
      if (!selectedTask(lead.ctx.options, walked.scope, walked.task)) continue;
      const verdict = candidate(lead, walked.scope, walked.task, effects);
      if (verdict === "pass") continue;
      if (verdict === "stop") return members;
      length += stepsLength(verdict.steps);
      if (length > MAX_SCRIPT_BYTES) return members;
      members.push(verdict);
      if (verdict.effects === undefined || !foreseeable(verdict.effects) || decidesNext(walked.task)) return members;
      effects.push(...verdict.effects);
    }
  }
  return members;
}

/** A following task as a member, or "pass" (its condition skips it), or "stop" (the batch ends before it). */
function candidate(lead: Lead, scope: Scope, task: TaskNode, effects: readonly Effect[]): Candidate | "pass" | "stop" {
  const { ctx, host } = lead;
  if (!eligible(task) || task.loop !== undefined || (task.checkMode ?? scope.checkMode) !== undefined || scope.anyErrorsFatal !== undefined) return "stop";
  const prepared = prepareAhead(ctx, scope, task, host, taskVars(ctx, scope, task, host));
  if (prepared.kind === "skip") return "pass";
  if (prepared.kind !== "ready") return "stop";
  const { call } = prepared;
  // another remote_user or connection is another connection: its steps never join this one's script
  if (call.module.local || call.delegate !== undefined || call.check || !sameBecome(call.become, lead.call.become) || !sameLogin(call.login, lead.call.login)) return "stop";
  if (JSON.stringify(call.env) !== JSON.stringify(lead.call.env)) return "stop";
  const facts = factsFor(lead, call, effects);
  if (facts === undefined) return "stop";
  let plan: Plan;
  try {
    plan = call.module.plan(call.args, facts.values, call.planContext);
  } catch {
    return "stop"; // the task reports it in its turn
  }
  const decided = decide(call, plan, { check: false });
  if (!("steps" in decided)) return decided.status === "ok" ? { task, steps: [], success: decided, probes: facts.probes, effects: [] } : "stop";
  // steps that change nothing wait or poll (wait_for): a connection lost while they run must be
  // that task's, not the batch's leading task's
  if (plan.kind !== "change" || !scriptable(decided.steps)) return "stop";
  return { task, ...decided, probes: facts.probes, effects: plan.effects };
}

/** The call's facts as they will be when its turn comes, or undefined when that cannot be known now. */
function factsFor(lead: Lead, call: ModuleCall, effects: readonly Effect[]): { values: Record<string, unknown>; probes: string[] } | undefined {
  const values: Record<string, unknown> = {};
  const probes: string[] = [];
  let predictions: Predictions | undefined;
  for (const [name, fact] of Object.entries(call.facts)) {
    if (fact === undefined) {
      values[name] = undefined;
      continue;
    }
    const touched = touchedBy(fact, effects);
    if (touched === "unknown") return undefined;
    predictions ??= predicted(effects);
    const after = touched === "no" || fact.subject === undefined ? undefined : predictions.lookup(fact.subject)?.after;
    if (after === undefined) {
      // untouched, or below directories the batch makes or keeps: what was read still holds
      if (touched === "above-removed") return undefined;
      const result = lead.ctx.probeCache.take(lead.host.name, [fact], call.become, call.login)?.[0];
      if (result === undefined) return undefined;
      try {
        values[name] = fact.parse(result);
      } catch {
        return undefined; // the task reports it in its turn
      }
      probes.push(probeKey(fact, call.become, call.login));
      continue;
    }
    if (!exact(after as PathAfter, lead)) return undefined;
    const value = fact.predict?.(after);
    if (value === undefined) return undefined;
    values[name] = value;
  }
  return { values, probes };
}

/**
 * Whether a predicted state is what the host will really have: absence always; a path made by
 * the batch when its mode (and a file's content) was declared and the commands run as root, so
 * that an undeclared owner is root (predictFileState's assumption).
 */
function exact(after: PathAfter, lead: Lead): boolean {
  if (!after.exists) return true;
  const user = lead.call.become?.user ?? loginUser(lead.host, lead.call.login);
  if (user !== "root") return false;
  if (after.kind === "link") return after.linkTarget !== undefined;
  return after.mode !== undefined && (after.kind !== "file" || after.content !== undefined);
}

function predicted(effects: readonly Effect[]): Predictions {
  const predictions = new Predictions();
  predictions.record(effects, "batch");
  return predictions;
}

/**
 * Whether earlier effects touch what a fact reads: "no"; "same" when one is on its path (and
 * none below it); "above" when all are on directories above it that stay directories,
 * "above-removed" when some other change happens above it; "unknown" otherwise.
 */
function touchedBy(fact: Fact<unknown>, effects: readonly Effect[]): "no" | "same" | "above" | "above-removed" | "unknown" {
  if (effects.length === 0) return "no";
  const subject = fact.subject;
  if (subject === undefined) return "unknown";
  let verdict: "no" | "same" | "above" | "above-removed" = "no";
  let entriesBelow = false;
  for (const effect of effects) {
    if (effect.kind === "unknown") return "unknown";
    if (effect.kind === "thing") {
      // a thing's predicted state is typed by its module: not known to be exact
      if (effect.subject === subject) return "unknown";
      continue;
    }
    if (!subject.startsWith("path:")) continue;
    const path = normalize(subject.slice("path:".length));
    const touched = normalize(effect.path);
    if (isBelow(touched, path)) {
      // a path made below a directory the batch made leaves it a directory: a fact that reads
      // only that is as the batch declared it (an undeclared mkdir -p would be a stale read)
      if (fact.keptByEntries === true && effect.after.exists) {
        entriesBelow = true;
        continue;
      }
      return "unknown";
    }
    if (touched === path) verdict = "same";
    else if (isBelow(path, touched) && verdict !== "same") {
      const keeps = effect.after.exists && effect.after.kind === "directory";
      if (!keeps) verdict = "above-removed";
      else if (verdict === "no") verdict = "above";
    }
  }
  return entriesBelow && verdict !== "same" ? "unknown" : verdict;
}

function isBelow(path: string, parent: string): boolean {
  return path.startsWith(parent === "/" ? "/" : `${parent}/`) && path !== parent;
}

function normalize(path: string): string {
  const normal = posix.normalize(path);
  return normal.length > 1 && normal.endsWith("/") ? normal.slice(0, -1) : normal;
}

function foreseeable(effects: readonly Effect[] | undefined): effects is readonly Effect[] {
  return effects !== undefined && effects.every((effect) => effect.kind !== "unknown");
}
