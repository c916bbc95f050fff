/**
 * A task's verdict on a host (prepare.ts), computed once when the look-ahead or a batch's plan
 * meets the task and kept for the run to use when its turn comes, instead of rendering the same
 * conditions and arguments again. At 1,000 hosts a no-change run prepared every host's every task
 * twice: once when the first script read ahead, once when the task ran.
 *
 * A kept verdict is used only when nothing it was computed from can have changed since:
 *   - the host's own variables and facts (register, set_fact, include_vars, gathered facts),
 *   - any host's fate (ansible_play_hosts),
 *   - any host's variables, when the rendering read hostvars,
 * and it is never kept when the rendering read the controller (a lookup, an `is file` test, an
 * include: a file or a command's output may change in between), nor for the error verdicts
 * (the look-ahead's "unknowable" is the run's error). The plan context is built again on the
 * run's own variables, so what the plan reads later is read then, as without the kept verdict.
 * Only tasks without a loop are kept; each verdict is used once.
 *
 * RUNBOOK_PREPARE_MEMO=off prepares every time, to show that keeping changes nothing but speed.
 */
import type { TaskNode, Vars } from "../playbook/model.js";
import { renderReads } from "../template/reads.js";
import { hostVarsRevision } from "../vars/revision.js";
import type { Scope } from "./context.js";
import { fateRevision, type HostState } from "./host-state.js";
import { callOnVars, prepare, type ModuleCall, type Prepared, type PrepareContext } from "./prepare.js";

const KEPT = process.env["RUNBOOK_PREPARE_MEMO"] !== "off";
/**
 * At most this many verdicts wait per host (the nearest tasks: the look-ahead walks in run
 * order): at 1,000 hosts each kept verdict weighs ~0.7 KB, and a look-ahead of 64 tasks would
 * keep 64,000 of them alive at once.
 */
const KEPT_PER_HOST = 16;

/** A ready call without its plan context (which holds the variables: kept for every host's tasks ahead, they would weigh). */
type KeptCall = Omit<ModuleCall, "planContext">;

interface Kept {
  readonly scope: Scope;
  readonly verdict: { readonly kind: "skip"; readonly reason: string } | { readonly kind: "ready"; readonly call: KeptCall };
  readonly ownRevision: number;
  readonly fates: number;
  /** Set when the rendering read hostvars: then any host's change makes it stale. */
  readonly hostvars: number | undefined;
}

const keptByHost = new WeakMap<HostState, Map<TaskNode, Kept>>();
/** How many runs used a kept verdict (for tests and the bench: that keeping happens at all). */
let used = 0;
export const keptVerdictsUsed = (): number => used;

/**
 * The look-ahead's and the batch plan's prepare (every error "not knowable yet"), on the task's
 * own variables (`vars` is taskVars' for the task, with nothing added): kept for the run.
 */
export function prepareAhead(ctx: PrepareContext, scope: Scope, task: TaskNode, host: HostState, vars: Vars): Prepared {
  const known = usable(scope, task, host, false);
  if (known !== undefined) return asPrepared(ctx, scope, task, host, known, vars);
  const controller = renderReads.controller;
  const hostvars = renderReads.hostvars;
  const prepared = prepare(ctx, scope, task, host, vars, () => true);
  if (KEPT && task.loop === undefined && renderReads.controller === controller && (prepared.kind === "skip" || prepared.kind === "ready")) {
    let kept = keptByHost.get(host);
    if (kept === undefined) keptByHost.set(host, (kept = new Map()));
    if (kept.size >= KEPT_PER_HOST && !kept.has(task)) return prepared;
    kept.set(task, {
      scope,
      verdict: prepared.kind === "skip" ? prepared : { kind: "ready", call: withoutContext(prepared.call) },
      ownRevision: host.varsRevision,
      fates: fateRevision(),
      hostvars: renderReads.hostvars === hostvars ? undefined : hostVarsRevision(),
    });
  }
  return prepared;
}

/** The run's prepare: the verdict kept for it when it still holds, else prepared now. */
export function prepareForRun(ctx: PrepareContext, scope: Scope, task: TaskNode, host: HostState, vars: Vars): Prepared {
  const known = task.loop === undefined ? usable(scope, task, host, true) : undefined;
  if (known === undefined) return prepare(ctx, scope, task, host, vars);
  used++;
  return asPrepared(ctx, scope, task, host, known, vars);
}

/** The task ran another way (its steps in an earlier task's batch): its kept verdict is of no more use. */
export function forgetKept(host: HostState, task: TaskNode): void {
  keptByHost.get(host)?.delete(task);
}

function usable(scope: Scope, task: TaskNode, host: HostState, take: boolean): Kept["verdict"] | undefined {
  const byTask = keptByHost.get(host);
  const kept = byTask?.get(task);
  if (kept === undefined) return undefined;
  if (take) byTask?.delete(task);
  const fresh =
    kept.ownRevision === host.varsRevision &&
    kept.fates === fateRevision() &&
    (kept.hostvars === undefined || kept.hostvars === hostVarsRevision()) &&
    sameScope(kept.scope, scope);
  if (!fresh) byTask?.delete(task);
  return fresh ? kept.verdict : undefined;
}

function asPrepared(ctx: PrepareContext, scope: Scope, task: TaskNode, host: HostState, verdict: Kept["verdict"], vars: Vars): Prepared {
  if (verdict.kind === "skip") return verdict;
  return { kind: "ready", call: callOnVars(ctx, scope, task, host, verdict.call, vars) };
}

function withoutContext(call: ModuleCall): KeptCall {
  const { module, args, facts, target, delegate, login, become, env, check } = call;
  return { module, args, facts, target, delegate, login, become, env, check };
}

/**
 * Whether two scopes give a task the same conditions, keywords and variables: the look-ahead
 * walks blocks into scopes of its own (walk.ts), equal to the run's field by field.
 */
function sameScope(a: Scope, b: Scope): boolean {
  if (a === b) return true;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((key) => sameField((a as unknown as Record<string, unknown>)[key], (b as unknown as Record<string, unknown>)[key]));
}

/** Equal values, lists of equal items, or conditions ({ expr, where }) with the same text and place. */
function sameField(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, index) => item === b[index] || sameCondition(item, b[index]));
  return false;
}

function sameCondition(a: unknown, b: unknown): boolean {
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  const x = a as { expr?: unknown; where?: unknown };
  const y = b as { expr?: unknown; where?: unknown };
  return typeof x.expr === "string" && x.expr === y.expr && x.where === y.where && Object.keys(a).length === 2 && Object.keys(b).length === 2;
}
