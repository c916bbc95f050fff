/**
 * The time-limit keywords of a task, as Ansible runs them:
 *
 *   timeout: N          the module is stopped after N seconds and the task fails
 *   async: N, poll: P   P > 0: the task runs with N seconds to finish (runbook waits for it
 *                       instead of polling: the verdict is the same); P = 0: the steps start as
 *                       a job on the host (support/async-jobs.ts) and the task goes on with
 *                       `ansible_job_id`, read later by async_status
 *
 * Check mode refuses async, and modules Ansible runs on the controller (copy, template...) do
 * not support it, in Ansible's words.
 */
import { randomInt } from "node:crypto";
import { launchArgv, scriptable, type JobMeta } from "../modules/support/async-jobs.js";
import type { Step } from "../modules/types.js";
import type { TaskNode } from "../playbook/model.js";
import { runModule, type ModuleOutcome, type ModuleRunOptions } from "./module-run.js";
import type { ModuleCall } from "./prepare.js";
import { describeStep } from "./remote.js";

/** Ansible's default `poll`. */
const DEFAULT_POLL_SECONDS = 15;

/** Modules whose Ansible action runs on the controller and refuses async ("async is not supported for this task."). */
const CONTROLLER_ACTIONS: ReadonlySet<string> = new Set(["copy", "template", "raw", "script", "reboot", "wait_for_connection", "artifact", "unarchive", "include_vars"]);

export async function runWithTimeLimits(task: TaskNode, call: ModuleCall, options: ModuleRunOptions): Promise<ModuleOutcome> {
  const limit = task.async ?? 0;
  // async: 0 is no async at all, as in Ansible; `timeout` still applies
  if (limit === 0) {
    const timeout = task.timeout ?? 0;
    if (timeout === 0) return runModule(call, options);
    return withinTime(call, options, timeout, `The ${task.module} action failed to execute in the expected time frame (${timeout}) and was terminated`);
  }
  if (call.check) return refused("check mode and async cannot be used on same task.");
  if (call.module.local === true || CONTROLLER_ACTIONS.has(call.module.name)) return refused("async is not supported for this task.");
  const jid = `j${randomInt(100_000_000_000, 999_999_999_999)}.${process.pid}`;
  if ((task.poll ?? DEFAULT_POLL_SECONDS) > 0) {
    const outcome = await withinTime(call, options, limit, `async task did not complete within the requested time - ${limit}s`);
    return outcome.status === "failed" ? outcome : { ...outcome, data: { ...outcome.data, ansible_job_id: jid, started: 1, finished: 1 } };
  }
  return runModule(call, { ...options, launch: (steps, planned) => launch(jid, steps, planned, options, limit) });
}

/** The module run, stopped (on the host: the transport's timeout) when it takes longer than `seconds`. */
async function withinTime(call: ModuleCall, options: ModuleRunOptions, seconds: number, message: string): Promise<ModuleOutcome> {
  const startedAt = Date.now();
  const outcome = await runModule(call, { ...options, timeoutMs: seconds * 1000 });
  if (outcome.status !== "failed" || Date.now() - startedAt < seconds * 1000) return outcome;
  return { status: "failed", commands: outcome.commands, msg: message, error: { message } };
}

function refused(message: string): ModuleOutcome {
  return { status: "failed", commands: [], msg: message, error: { message } };
}

/** Starts the steps as a job on the host: the task is changed, its job started and not finished. */
async function launch(jid: string, steps: readonly Step[], planned: ModuleOutcome, options: ModuleRunOptions, limitSeconds: number): Promise<ModuleOutcome> {
  if (!scriptable(steps)) return refused("async is not supported for this task.");
  const meta: JobMeta = { changed: planned.status === "changed", msg: planned.msg, data: planned.data, commands: steps.map(describeStep), limitSeconds };
  const result = await options.transport.run(launchArgv(jid, steps, meta), { become: options.become, env: options.env, timeoutMs: options.timeoutMs });
  const commands = [`start job ${jid}: ${meta.commands.join("; ")}`];
  if (result.rc !== 0) {
    const message = `could not start the async job: ${result.stderr.trim() || `exit ${result.rc}`}`;
    return { status: "failed", commands, rc: result.rc, stderr: result.stderr, msg: message, error: { message } };
  }
  const resultsFile = result.stdout.trim();
  return { status: "changed", commands, data: { ansible_job_id: jid, started: 1, finished: 0, failed: 0, results_file: resultsFile } };
}
