/** Test-side executor: probe -> plan -> steps on a real transport, then probe and plan again. */
import { expect } from "vitest";
import type { ModuleDefinition, Plan, PlanContext, ProbeResult } from "../../../src/modules/types.js";
import type { Transport } from "../../../src/transport/types.js";

async function probeAndPlan(definition: ModuleDefinition, args: unknown, transport: Transport, ctx: PlanContext): Promise<Plan> {
  const results: ProbeResult[] = [];
  for (const probe of definition.probe?.(args, ctx) ?? []) results.push(await transport.run(probe.argv));
  return definition.plan(args, results, ctx);
}

export interface Applied {
  readonly first: Plan;
  readonly second: Plan;
}

/** Applies a module for real and asserts that a second run has nothing left to do. */
export async function applyModule(definition: ModuleDefinition, rawArgs: unknown, transport: Transport, ctx: PlanContext): Promise<Applied> {
  const args = definition.schema.parse(rawArgs);
  const first = await probeAndPlan(definition, args, transport, ctx);
  expect(first.failed, "first plan failed").toBeUndefined();
  for (const step of first.steps) {
    if (step.kind === "put") {
      await transport.put(step.path, step.content, { mode: step.mode, owner: step.owner, group: step.group });
      continue;
    }
    const result = await transport.run(step.argv, { stdin: step.stdin });
    expect(step.okCodes ?? [0], `${step.argv.join(" ")}: ${result.stderr}`).toContain(result.rc);
  }
  const second = await probeAndPlan(definition, args, transport, ctx);
  expect(second.failed).toBeUndefined();
  expect(second.steps, "second run must have nothing to do").toEqual([]);
  return { first, second };
}
