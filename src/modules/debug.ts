/** debug: shows a message or a variable; runs on the controller. */
import { z } from "zod";
import { defineModule } from "./types.js";
import { ok } from "./support/plan.js";
import { lookupVar } from "./support/vars.js";

const schema = z
  .strictObject({
    msg: z.unknown().optional().describe("The message to show (any value; templated before the module sees it)."),
    var: z.string().min(1).optional().describe("Name of a variable to show, dotted for nested values (e.g. result.stdout)."),
  })
  .refine((args) => args.msg === undefined || args.var === undefined, { message: "give only one of 'msg' or 'var'", path: ["var"] });

export const debug = defineModule({
  name: "debug",
  summary: "Show a message or a variable's value",
  example: ["- name: Show the kernel", "  debug:", "    var: ansible_kernel"].join("\n"),
  schema,
  local: true,
  plan: (args, _facts, ctx) => {
    if (args.var !== undefined) {
      const found = lookupVar(ctx.vars, args.var);
      const value = found === undefined ? "VARIABLE IS NOT DEFINED!" : found;
      // shown like Ansible's `"name": value`; the message was empty, so `debug: var:` printed nothing
      return ok(`${JSON.stringify(args.var)}: ${JSON.stringify(value)}`, { data: { [args.var]: value } });
    }
    const msg = args.msg === undefined ? "Hello world!" : args.msg;
    return ok(typeof msg === "string" ? msg : JSON.stringify(msg), { data: { msg } });
  },
});
