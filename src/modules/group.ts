/** group: a local group, via getent and groupadd/groupmod/groupdel. */
import { z } from "zod";
import { defineModule, type Effect, type Fact, type Plan } from "./types.js";
import { parseGroup, type GroupEntry } from "./support/accounts.js";
import { change, ok } from "./support/plan.js";
import { boolish, intArg } from "./support/schema.js";

const schema = z.strictObject({
  name: z.string().regex(/^[a-z_][a-z0-9_.-]*\$?$/i, "expected a group name").describe("The group name."),
  gid: intArg("The group id.").optional(),
  non_unique: boolish("Allow a gid another group has (groupadd/groupmod -o; needs gid).").default(false),
  system: boolish("Create a system group (only when creating).").default(false),
  state: z.enum(["present", "absent"]).default("present").describe("Whether the group exists."),
});

type GroupArgs = z.output<typeof schema>;

/** The group's after, for check mode: null when deleted; an unknown gid (groupadd picks it) as undefined. */
type GroupAfter = { readonly gid: number | undefined } | null;

function groupFact(args: GroupArgs): Fact<GroupEntry | null> {
  return {
    argv: ["getent", "group", args.name],
    subject: `group:${args.name}`,
    parse: parseGroup,
    predict: (after) => {
      const group = after as GroupAfter;
      if (group === null) return null;
      // a gid groupadd chose cannot be compared with the one this task wants
      if (group.gid === undefined && args.gid !== undefined) return undefined;
      return { name: args.name, gid: group.gid ?? -1, members: [] };
    },
  };
}

const effect = (name: string, after: GroupAfter): Effect[] => [{ kind: "thing", subject: `group:${name}`, after }];

/** -g GID, with -o when another group may have it too. */
const gidOptions = (args: GroupArgs, gid: number | undefined): string[] => (gid === undefined ? [] : ["-g", String(gid), ...(args.non_unique ? ["-o"] : [])]);

function planGroup(args: GroupArgs, entry: GroupEntry | null): Plan {
  if (args.state === "absent") return entry === null ? ok(`group ${args.name} does not exist`) : change([{ kind: "run", argv: ["groupdel", "--", args.name] }], undefined, effect(args.name, null));
  if (entry === null) {
    const argv = ["groupadd", ...gidOptions(args, args.gid), ...(args.system ? ["-r"] : []), "--", args.name];
    return change([{ kind: "run", argv }], `group ${args.name} does not exist`, effect(args.name, { gid: args.gid }));
  }
  if (args.gid !== undefined && args.gid !== entry.gid) {
    return change([{ kind: "run", argv: ["groupmod", ...gidOptions(args, args.gid), "--", args.name] }], `gid is ${entry.gid}`, effect(args.name, { gid: args.gid }));
  }
  return ok(`group ${args.name} is as wanted`);
}

export const group = defineModule({
  name: "group",
  summary: "Manage local groups",
  example: ["- name: Operators", "  group:", "    name: ops", "    gid: 2000"].join("\n"),
  schema,
  facts: (args) => ({ entry: groupFact(args) }),
  plan: (args, { entry }) => planGroup(args, entry),
});
