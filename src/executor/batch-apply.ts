/**
 * Applies a batch (batch-plan.ts) in one round trip: the leading task's steps, then each
 * member's, then the probes of the tasks after the batch, as one script (probe-batch.ts). The
 * script stops at the first step that fails, exactly where the tasks one by one would have
 * stopped: the failing task reports that step's output, and the members after it did not run
 * (the run plans them afresh if the host goes on, as with ignore_errors).
 *
 * Each member's outcome is kept on its host until the run reaches that task; the result is then
 * judged and reported in the task's own turn, as if it had run then (task-runner.ts).
 */
import type { ProbeResult, Step } from "../modules/types.js";
import { atomicWriteCommand, printfFormat, putFailure } from "../transport/atomic-write.js";
import { quote, shellJoin } from "../transport/quote.js";
import type { BecomeOptions, CommandResult } from "../transport/types.js";
import type { Batch, BatchedOutcome } from "./batch-plan.js";
import { appliedOutcome, type ModuleOutcome, type ModuleRunOptions, type ToApply } from "./module-run.js";
import type { ModuleCall } from "./prepare.js";
import { runMarkedCommands } from "./probe-batch.js";
import { describeStep, probeCommand, stepFailure, type MarkedCommand, type StepOutcome } from "./remote.js";

export async function applyBatch(call: ModuleCall, lead: ToApply, batch: Batch, options: ModuleRunOptions): Promise<ModuleOutcome> {
  const { transport, cache } = options;
  const groups: readonly ToApply[] = [lead, ...batch.members];
  const steps = groups.flatMap((group) => group.steps);
  const commands: MarkedCommand[] = [...steps.map(stepCommand), ...batch.probes.map((probe) => ({ line: probeCommand(probe.argv) }))];
  cache?.advance(transport.host);
  const reading = cache?.reading(transport.host);
  let results: (ProbeResult | undefined)[];
  const started = Date.now();
  try {
    results = await runMarkedCommands(transport, commands, { become: call.become, env: options.env });
  } finally {
    cache?.advance(transport.host);
  }
  // what ran: each task's steps in turn, up to the first that failed
  let offset = 0;
  const outcomes: BatchedOutcome[] = [];
  let failed = false;
  for (const group of groups) {
    const outcome = groupOutcome(transport.host, call.become, group, results.slice(offset, offset + group.steps.length));
    offset += group.steps.length;
    outcomes.push(outcome);
    if (!("outcome" in outcome) || outcome.outcome.status === "failed") {
      failed = true;
      break;
    }
  }
  // each task that ran is timed with its share of the script, by its steps
  const perStep = (Date.now() - started) / Math.max(1, steps.length);
  outcomes.slice(1).forEach((outcome, index) => {
    const member = batch.members[index];
    if (member !== undefined) batch.keep(member.task, outcome, Math.round(perStep * member.steps.length));
  });
  // the probes ran after every step, on a host nothing else touched meanwhile: they hold now
  if (!failed && cache !== undefined && reading !== undefined && batch.probes.length > 0) {
    const probeResults = results.slice(steps.length).filter((result): result is ProbeResult => result !== undefined);
    // a script that died before its last probe leaves those tasks to read the host themselves
    const complete = probeResults.length === batch.probes.length;
    if (complete && cache.current({ host: reading.host, generation: reading.generation + 1 })) cache.store(cache.reading(transport.host), batch.probes, probeResults, call.become, call.login);
  }
  const first = outcomes[0] as BatchedOutcome;
  if ("thrown" in first) throw first.thrown;
  return first.outcome;
}

/** One task's part of the script's results: its outcome as applySteps and appliedOutcome would give it. */
function groupOutcome(host: string, become: BecomeOptions | undefined, group: ToApply, results: readonly (ProbeResult | undefined)[]): BatchedOutcome {
  const { steps, success } = group;
  // a member that runs nothing (its plan was ok): its outcome as planned
  if (steps.length === 0) return { outcome: success };
  const commands: string[] = [];
  let last: CommandResult | undefined;
  let outcome: StepOutcome | undefined;
  for (const [index, step] of steps.entries()) {
    commands.push(describeStep(step));
    const ran = results[index] ?? { rc: -1, stdout: "", stderr: "step did not finish" };
    if (step.kind === "put") {
      if (ran.rc !== 0) return { thrown: putFailure(host, step.path, ran, { ...step, become }) };
      continue;
    }
    if (step.kind !== "run") throw notScriptable(step);
    last = ran;
    const failure = stepFailure(step, ran);
    if (failure !== undefined) {
      outcome = { ok: false, commands, last, error: failure };
      break;
    }
  }
  return { outcome: appliedOutcome(group, outcome ?? { ok: true, commands, last }) };
}

/** Steps a shell script can run: commands and uploads (a fetch writes on the controller). */
export const isScriptStep = (step: Step): step is Extract<Step, { kind: "run" | "put" }> => step.kind === "run" || step.kind === "put";

/** batch-plan.ts lets only script steps into a batch. */
const notScriptable = (step: Step): Error => new Error(`internal: a ${step.kind} step cannot run in a batch script`);

/** A step as a command of the script; it stops the script when it fails (a put: when not 0). */
function stepCommand(step: Step): MarkedCommand {
  if (!isScriptStep(step)) throw notScriptable(step);
  if (step.kind === "put") return { line: atomicWriteCommand(step.path, step, step.content), stopUnless: [0] };
  // its own process, as when it runs alone: a shell's messages carry the script's line numbers
  const command = shellJoin(step.argv);
  const line = step.stdin === undefined ? `${command} </dev/null` : `printf ${quote(printfFormat(Buffer.from(step.stdin, "utf8")))} | ${command}`;
  return { line, stopUnless: step.okCodes ?? [0] };
}

/** The script's length for a task's steps, to keep a batch within one command line. */
export function stepsLength(steps: readonly Step[]): number {
  return steps.reduce((sum, step) => sum + stepLength(step) + 200, 0);
}

/** Past this size a write is not written out as printf to be measured: it is at least as long as its bytes. */
const MEASURED_CONTENT_BYTES = 256 * 1024;

function stepLength(step: Step): number {
  if (step.kind === "put" && step.content.length > MEASURED_CONTENT_BYTES) return step.content.length;
  return isScriptStep(step) ? stepCommand(step).line.length : Number.POSITIVE_INFINITY;
}
