/** Test-side executor: facts -> plan -> steps on a real transport, then facts and plan again. */
import { expect } from "vitest";
import type { Plan, PlanContext, ProbeResult } from "../../../src/modules/types.js";
import type { Transport } from "../../../src/transport/types.js";
import { factsOf, planWith, stepsOf, type AnyModule } from "./helpers.js";

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
    const result = await transport.run(step.argv, { stdin: step.stdin });
    expect(step.okCodes ?? [0], `${step.argv.join(" ")}: ${result.stderr}`).toContain(result.rc);
  }
  const second = await probeAndPlan(definition, args, transport, ctx);
  expect(second.kind === "fail" ? second.error : undefined).toBeUndefined();
  expect(second.kind, "second run must have nothing to do").toBe("ok");
  return { first, second };
}
