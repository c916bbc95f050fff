/** Test-side executor: facts -> plan -> steps on a real transport, then facts and plan again. */
import { expect } from "vitest";
import { runModule, type ModuleOutcome } from "../../../src/executor/module-run.js";
import { Predictions } from "../../../src/executor/predictions.js";
import type { Login } from "../../../src/executor/connections.js";
import type { ModuleCall } from "../../../src/executor/prepare.js";
import type { Plan, PlanContext, ProbeResult } from "../../../src/modules/types.js";
import type { Transport } from "../../../src/transport/types.js";
import { asModule, factsOf, planWith, stepsOf, type AnyModule } from "./helpers.js";

async function probeAndPlan(definition: AnyModule, args: unknown, transport: Transport, ctx: PlanContext): Promise<Plan> {
  const probes: ProbeResult[] = [];
  for (const fact of factsOf(definition, args, ctx)) probes.push(await transport.run(fact.argv));
  return planWith(definition, args, { probes }, ctx);
}

export interface Applied {
  readonly first: Plan;
  readonly second: Plan;
}

/** Applies a module for real and asserts that a second run has nothing left to do. */
export async function applyModule(definition: AnyModule, rawArgs: unknown, transport: Transport, ctx: PlanContext): Promise<Applied> {
  const args = definition.schema.parse(rawArgs);
  const first = await probeAndPlan(definition, args, transport, ctx);
  expect(first.kind === "fail" ? first.error : undefined, "first plan failed").toBeUndefined();
  for (const step of stepsOf(first)) {
    if (step.kind === "put") {
      await transport.put(step.path, step.content, { mode: step.mode, owner: step.owner, group: step.group });
      continue;
    }
    if (step.kind === "fetch") throw new Error("applyModule does not fetch: test fetch through the executor");
    if (step.kind === "reconnect") throw new Error("applyModule does not reconnect: test reconnect steps through the executor");
    const result = await transport.run(step.argv, { stdin: step.stdin });
    expect(step.okCodes ?? [0], `${step.argv.join(" ")}: ${result.stderr}`).toContain(result.rc);
  }
  const second = await probeAndPlan(definition, args, transport, ctx);
  expect(second.kind === "fail" ? second.error : undefined).toBeUndefined();
  expect(second.kind, "second run must have nothing to do").toBe("ok");
  return { first, second };
}

export interface TaskCall {
  readonly module: AnyModule;
  readonly args: unknown;
}

export interface TasksRun {
  readonly outcomes: readonly ModuleOutcome[];
  /** Check mode's picture of the host after the tasks (empty for a real run). */
  readonly predictions: Predictions;
}

const LOCAL: Login = { connection: "local", user: "root", via: "localhost" };

/**
 * Runs tasks one after another through the executor's own module run (facts -> plan -> apply),
 * in check mode with one shared picture of predicted changes, as the executor keeps per host,
 * or for real. No look-ahead and no cache: each task reads the host itself.
 */
export async function runTasks(tasks: readonly TaskCall[], transport: Transport, ctx: PlanContext, check: boolean): Promise<TasksRun> {
  const predictions = new Predictions();
  const outcomes: ModuleOutcome[] = [];
  for (const task of tasks) {
    const module = asModule(task.module);
    const args = task.module.schema.parse(task.args);
    const planContext = { ...ctx, check };
    const call: ModuleCall = { module, args, planContext, facts: module.facts?.(args, planContext) ?? {}, target: transport.host, login: LOCAL, become: undefined, check };
    outcomes.push(await runModule(call, { transport, become: undefined, login: LOCAL, check, predictions: check ? predictions : undefined }));
  }
  return { outcomes, predictions };
}

/** Each outcome's status, "changed?" when check mode could not foresee the change. */
export const statusesOf = (run: TasksRun): string[] => run.outcomes.map((outcome) => (outcome.status === "changed" && outcome.unknown === true ? "changed?" : outcome.status));
