/**
 * One prepared module call on one host: read its facts -> plan -> apply (unless check mode).
 * Renders nothing and decides nothing about loops or conditions (prepare.ts did); returns what
 * happened as data.
 */
import { join, resolve } from "node:path";
import type { Facts } from "../facts/types.js";
import type { Effect, Plan, PlanContext, Step } from "../modules/types.js";
import type { Playbook, RoleInfo, Vars } from "../playbook/model.js";
import { renderTemplateFile } from "../template/index.js";
import type { TaskError } from "./events.js";
import { readFacts, type FactSource } from "./fact-reader.js";
import { findLocalFile, localFileMode, projectRoot, readControllerFile, readLocalFile } from "./local-files.js";
import type { ModuleCall } from "./prepare.js";
import { applyBatch } from "./batch-apply.js";
import type { Batch } from "./batch-plan.js";
import { applySteps, describeStep, type ApplyOptions, type StepOutcome } from "./remote.js";

/** What a module run may carry besides its verdict. */
interface OutcomeCommon {
  /** The commands that ran, or in check mode would run, in shell form. */
  readonly commands: readonly string[];
  readonly msg?: string | undefined;
  readonly diffs?: Extract<Plan, { kind: "change" }>["diffs"];
  readonly data?: Readonly<Record<string, unknown>> | undefined;
  readonly rc?: number | undefined;
  readonly stdout?: string | undefined;
  readonly stderr?: string | undefined;
  /** How the registered stdout/stderr end: the run step's `outputEnds` (modules/types.ts). */
  readonly outputEnds?: Extract<Step, { kind: "run" }>["outputEnds"];
}

export type ModuleOutcome = OutcomeCommon &
  (
    | {
        readonly status: "ok";
        readonly setFacts?: Readonly<Record<string, unknown>> | undefined;
        readonly facts?: Readonly<Record<string, unknown>> | undefined;
      }
    /** `unknown`: check mode could not foresee what the change leaves (a command's output). */
    | { readonly status: "changed"; readonly unknown?: true | undefined }
    /** The module declined to act (Plan `skip`). */
    | { readonly status: "skipped" }
    /** `changed`: the failure changed the host all the same (a user's command that ran and failed). */
    | { readonly status: "failed"; readonly error: TaskError; readonly changed?: true | undefined }
  );

/** How the call meets the host: where facts come from, check mode, limits. */
export interface ModuleRunOptions extends FactSource {
  readonly check: boolean;
  readonly env?: Readonly<Record<string, string>> | undefined;
  /**
   * Starts the plan's steps as a job on the host instead of running them (`async` with `poll: 0`,
   * async-job.ts); `planned` is the outcome the steps would give.
   */
  readonly launch?: ((steps: readonly Step[], planned: ModuleOutcome) => Promise<ModuleOutcome>) | undefined;
  /** The tasks whose steps may join this one's script, once its plan is known (batch-plan.ts). */
  readonly batch?: ((plan: Plan, steps: readonly Step[]) => Batch | undefined) | undefined;
  /** Runs a reconnect step (reboot, wait_for_connection): reconnect.ts. */
  readonly reconnect?: ApplyOptions["reconnect"];
}

export const UNKNOWN_IN_CHECK_MODE = "would run (result unknown in check mode)";

export async function runModule(call: ModuleCall, options: ModuleRunOptions): Promise<ModuleOutcome> {
  const { module } = call;
  const uncertain = options.predictions?.uncertain;
  const facts = module.local ? ({ kind: "read", values: {} } as const) : await readFacts(call.facts, options);
  if (facts.kind === "unknown") return unknown(call, facts.why, []);
  if (facts.kind === "failed") {
    if (uncertain !== undefined) return unknown(call, uncertain, []);
    const { failure } = facts;
    return { status: "failed", commands: [], error: { message: failure.message, rc: failure.rc, stderr: failure.stderr.trim() || undefined } };
  }
  const plan = module.plan(call.args, facts.values, call.planContext);
  const decided = decide(call, plan, options);
  if (!("steps" in decided)) return decided;
  return apply(call, decided, options, plan);
}

/** Steps still to run, and what the call reports once they ran well. */
export interface ToApply {
  readonly steps: readonly Step[];
  readonly success: ModuleOutcome;
  /** The module's `failureChanges`, on a change's steps: a failed run of them still changed the host. */
  readonly failureChanges?: boolean | undefined;
}

/** What a plan comes to before anything runs: an outcome already, or steps to apply (never in check mode). */
export function decide(call: ModuleCall, plan: Plan, options: Pick<ModuleRunOptions, "check" | "predictions" | "launch">): ModuleOutcome | ToApply {
  const { module } = call;
  const uncertain = options.predictions?.uncertain;
  const base = { msg: plan.msg, data: plan.data };
  switch (plan.kind) {
    case "fail":
      if (uncertain !== undefined && !module.local) return unknown(call, uncertain, []);
      return { ...base, status: "failed", commands: [], error: { message: plan.error, hint: plan.hint } };
    case "ok":
      // an async job is started even with nothing to do: async_status reports it done
      if ((plan.steps === undefined && options.launch === undefined) || options.check) {
        return { ...base, status: "ok", commands: (plan.steps ?? []).map(describeStep), setFacts: plan.setFacts, facts: plan.facts };
      }
      return { steps: plan.steps ?? [], success: { ...base, status: "ok", commands: [] } };
    case "skip":
      return { ...base, status: "skipped", commands: [] };
    case "change":
      if (options.check) return predicted(call, plan, options);
      return { steps: plan.steps, success: { ...base, diffs: plan.diffs, status: "changed", commands: [] }, failureChanges: module.failureChanges };
  }
}

/** Check mode: the change is recorded as the host's predicted state, and nothing runs. */
function predicted(call: ModuleCall, plan: Extract<Plan, { kind: "change" }>, options: Pick<ModuleRunOptions, "predictions">): ModuleOutcome {
  options.predictions?.record(plan.effects, `${call.module.name} (${plan.msg ?? "a change"})`);
  const commands = plan.steps.map(describeStep);
  if (!foreseeable(plan.effects)) return { ...unknown(call, undefined, commands), diffs: plan.diffs, data: plan.data };
  return { status: "changed", commands, msg: plan.msg, diffs: plan.diffs, data: plan.data };
}

function foreseeable(effects: readonly Effect[] | undefined): boolean {
  return effects !== undefined && effects.every((effect) => effect.kind !== "unknown");
}

/** Check mode cannot tell: a would-be change, or for a module that only reads, an ok whose answer is unknown. */
function unknown(call: ModuleCall, why: string | undefined, commands: readonly string[]): ModuleOutcome {
  if (call.module.readsOnly === true) return { status: "ok", commands, msg: `result unknown in check mode${why === undefined ? "" : `: ${why}`}` };
  return { status: "changed", unknown: true, commands, msg: why === undefined ? UNKNOWN_IN_CHECK_MODE : `${UNKNOWN_IN_CHECK_MODE}: ${why}` };
}

/**
 * Runs the steps; the host's generation moves before (reads in flight no longer hold) and after.
 * With batching (batch-plan.ts), the steps of the tasks that follow may go in the same script.
 */
async function apply(call: ModuleCall, toApply: ToApply, options: ModuleRunOptions, plan: Plan): Promise<ModuleOutcome> {
  const { steps, success } = toApply;
  // steps with a time limit (timeout, async, --timeout) or run as a job (launch) run alone: a script has neither
  // and a reconnect waits for the host on its own connections
  const alone = options.check || options.launch !== undefined || options.timeoutMs !== undefined || steps.some((step) => step.kind === "reconnect");
  const batch = alone ? undefined : options.batch?.(plan, steps);
  if (batch !== undefined) return applyBatch(call, toApply, batch, options);
  const { transport, cache } = options;
  // a delegated or local command (scp, an API call) may change the task's own host too: what was
  // read from it ahead no longer holds either
  const touched = new Set([transport.host, call.planContext.host]);
  const advance = (): void => touched.forEach((host) => cache?.advance(host));
  advance();
  if (options.launch !== undefined) return options.launch(steps, success).finally(advance);
  const outcome = await applySteps(transport, steps, call.become, { timeoutMs: options.timeoutMs, env: options.env, reconnect: options.reconnect }).finally(advance);
  return appliedOutcome(toApply, outcome);
}

/** What a call reports once its steps ran (or one failed): the last command's output, the commands that ran. */
export function appliedOutcome({ steps, success, failureChanges }: ToApply, outcome: StepOutcome): ModuleOutcome {
  // the last command that ran is the last run step among those attempted (they stop at a failure)
  const ran = steps.slice(0, outcome.commands.length).filter((step) => step.kind === "run").at(-1);
  const output = { rc: outcome.last?.rc, stdout: outcome.last?.stdout, stderr: outcome.last?.stderr, outputEnds: ran?.outputEnds };
  // what the steps found out (a reconnect's elapsed) goes with what the plan said
  const data = outcome.data === undefined ? success.data : { ...success.data, ...outcome.data };
  if (!outcome.ok) {
    const error: TaskError = { message: outcome.error ?? "a step failed", rc: outcome.last?.rc, stderr: outcome.last?.stderr.trim() || undefined };
    const changed = failureChanges === true && ran !== undefined ? true : undefined;
    return { ...output, msg: success.msg, data, status: "failed", commands: outcome.commands, error, changed };
  }
  return { ...success, ...output, data, commands: outcome.commands };
}

/** What a plan needs to know besides the module's arguments and facts. */
export interface PlanInput {
  readonly host: string;
  readonly facts: Facts | undefined;
  readonly vars: Vars;
  readonly check: boolean;
  readonly playbook: Playbook;
  readonly role: RoleInfo | undefined;
}

export function planContext(input: PlanInput): PlanContext {
  const { playbook, role, vars } = input;
  return {
    host: input.host,
    facts: input.facts,
    vars,
    check: input.check,
    readLocalFile: (path) => readLocalFile(findLocalFile(path, "files", playbook, role)),
    localFileMode: (path) => localFileMode(findLocalFile(path, "files", playbook, role)),
    controllerPath: (path) => resolve(playbook.baseDir, path),
    readControllerFile,
    renderTemplate: (path) => {
      const file = findLocalFile(path, "templates", playbook, role);
      return renderTemplateFile(file, readLocalFile(file).toString("utf8"), vars);
    },
    artifactPath: (name) => {
      const dir = typeof vars["artifacts_dir"] === "string" ? vars["artifacts_dir"] : join(projectRoot(playbook), "artifacts");
      return resolve(projectRoot(playbook), dir, name);
    },
  };
}
