/** assert: fails the host unless every condition holds; runs on the controller. */
import { z } from "zod";
import { defineModule } from "./types.js";
import { fail, ok } from "./support/plan.js";
import { evaluateCondition } from "../template/index.js";
import { boolish } from "./support/schema.js";
import { taskLocation } from "./support/vars.js";

const condition = z.union([z.string().min(1), z.boolean()], { error: "expected an expression or a boolean" });

const schema = z.strictObject({
  that: z
    .union([condition, z.array(condition).min(1)], { error: "expected an expression or a list of expressions" })
    .transform((value) => (Array.isArray(value) ? value : [value]))
    .describe("Conditions (expressions without {{ }}) that must all be true."),
  fail_msg: z.string().optional().describe("Message when a condition is false (alias: msg)."),
  msg: z.string().optional().describe("Alias of fail_msg."),
  success_msg: z.string().default("All assertions passed").describe("Message when all conditions hold."),
  quiet: boolish("Show less on success.").default(false),
});

export const assert = defineModule({
  name: "assert",
  summary: "Fail unless the given conditions hold",
  example: ["- name: Enough memory", "  assert:", "    that:", "      - ansible_memtotal_mb >= 1024", "    fail_msg: this host needs 1 GiB"].join("\n"),
  schema,
  local: true,
  plan: (args, _facts, ctx) => {
    for (const expression of args.that) {
      if (!evaluateCondition(expression, ctx.vars, taskLocation(ctx.host))) {
        const message = args.fail_msg ?? args.msg ?? `Assertion failed: ${String(expression)}`;
        return fail(message, undefined, { assertion: expression, evaluated_to: false });
      }
    }
    return ok(args.success_msg);
  },
});
