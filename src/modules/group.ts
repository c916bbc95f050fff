/** group: a local group, via getent and groupadd/groupmod/groupdel. */
import { z } from "zod";
import { defineLegacyModule, type LegacyPlan } from "./types.js";
import { parseGroup } from "./support/accounts.js";
import { boolish, intArg } from "./support/schema.js";

const schema = z.strictObject({
  name: z.string().regex(/^[a-z_][a-z0-9_.-]*\$?$/i, "expected a group name").describe("The group name."),
  gid: intArg("The group id.").optional(),
  system: boolish("Create a system group (only when creating).").default(false),
  state: z.enum(["present", "absent"]).default("present").describe("Whether the group exists."),
});

export const group = defineLegacyModule({
  name: "group",
  summary: "Manage local groups",
  example: ["- name: Operators", "  group:", "    name: ops", "    gid: 2000"].join("\n"),
  schema,
  probe: (args) => [{ argv: ["getent", "group", args.name] }],
  plan: (args, results): LegacyPlan => {
    const entry = results[0] === undefined ? undefined : parseGroup(results[0]);
    if (args.state === "absent") {
      return entry === undefined ? { steps: [], msg: `group ${args.name} does not exist` } : { steps: [{ kind: "run", argv: ["groupdel", "--", args.name] }] };
    }
    if (entry === undefined) {
      const argv = ["groupadd", ...(args.gid !== undefined ? ["-g", String(args.gid)] : []), ...(args.system ? ["-r"] : []), "--", args.name];
      return { steps: [{ kind: "run", argv }], msg: `group ${args.name} does not exist` };
    }
    if (args.gid !== undefined && args.gid !== entry.gid) {
      return { steps: [{ kind: "run", argv: ["groupmod", "-g", String(args.gid), "--", args.name] }], msg: `gid is ${entry.gid}` };
    }
    return { steps: [], msg: `group ${args.name} is as wanted` };
  },
});
