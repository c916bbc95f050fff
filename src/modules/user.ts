/** user: a local account, via getent probes and useradd/usermod/userdel. */
import { z } from "zod";
import { defineModule, type Effect, type Fact, type FactValues, type Plan, type Step } from "./types.js";
import { parseNames, parsePasswd, type PasswdEntry } from "./support/accounts.js";
import { change, ok } from "./support/plan.js";
import { boolish, intArg, stringList } from "./support/schema.js";

const schema = z.strictObject({
  name: z.string().regex(/^[a-z_][a-z0-9_.-]*\$?$/i, "expected a user name").describe("The account name."),
  state: z.enum(["present", "absent"]).default("present").describe("Whether the account exists."),
  uid: intArg("The user id.").optional(),
  group: z.string().min(1).optional().describe("Primary group (name or gid)."),
  groups: stringList("Supplementary groups; with append false, exactly these.").optional(),
  append: boolish("Add to groups without removing the account from others.").default(false),
  shell: z.string().min(1).optional().describe("Login shell."),
  home: z.string().min(1).optional().describe("Home directory."),
  create_home: boolish("Create the home directory when creating the account.").default(true),
  system: boolish("Create a system account (only when creating).").default(false),
  remove: boolish("With state absent: also remove the home directory and mail spool.").default(false),
});

type UserArgs = z.output<typeof schema>;

function addStep(args: UserArgs): Step {
  const argv = ["useradd"];
  if (args.uid !== undefined) argv.push("-u", String(args.uid));
  if (args.group !== undefined) argv.push("-g", args.group);
  if (args.groups !== undefined && args.groups.length > 0) argv.push("-G", args.groups.join(","));
  if (args.shell !== undefined) argv.push("-s", args.shell);
  if (args.home !== undefined) argv.push("-d", args.home);
  argv.push(args.create_home ? "-m" : "-M");
  if (args.system) argv.push("-r");
  return { kind: "run", argv: [...argv, "--", args.name] };
}

function groupsChange(args: UserArgs, primary: string, current: readonly string[]): string[] {
  if (args.groups === undefined) return [];
  const supplementary = new Set(current.filter((name) => name !== primary));
  const wanted = args.groups.filter((name) => name !== primary);
  if (args.append) {
    const missing = wanted.filter((name) => !supplementary.has(name));
    return missing.length > 0 ? ["-a", "-G", missing.join(",")] : [];
  }
  const same = wanted.length === supplementary.size && wanted.every((name) => supplementary.has(name));
  return same ? [] : ["-G", wanted.join(",")];
}

function modifyOptions(args: UserArgs, entry: PasswdEntry, primary: string, groups: readonly string[]): string[] {
  const options: string[] = [];
  if (args.uid !== undefined && args.uid !== entry.uid) options.push("-u", String(args.uid));
  if (args.group !== undefined && args.group !== primary && args.group !== String(entry.gid)) options.push("-g", args.group);
  if (args.shell !== undefined && args.shell !== entry.shell) options.push("-s", args.shell);
  if (args.home !== undefined && args.home !== entry.home) options.push("-d", args.home);
  return [...options, ...groupsChange(args, primary, groups)];
}

/**
 * The account after a change, for check mode: null when deleted; what useradd picks itself (a
 * uid, a shell, a home) as undefined; `primary` and `groups` by name.
 */
type UserAfter = { readonly uid?: number | undefined; readonly gid?: number | undefined; readonly home?: string | undefined; readonly shell?: string | undefined; readonly primary?: string | undefined; readonly groups?: readonly string[] | undefined } | null;

/** The three facts about `user:NAME`. A predicted account answers them, unless this task compares what it did not say. */
function userFacts(args: UserArgs) {
  const subject = `user:${args.name}`;
  const compares = (after: NonNullable<UserAfter>): boolean =>
    (args.uid !== undefined && after.uid === undefined) || (args.shell !== undefined && after.shell === undefined) || (args.home !== undefined && after.home === undefined);
  const passwd: Fact<PasswdEntry | null> = {
    argv: ["getent", "passwd", args.name],
    subject,
    parse: parsePasswd,
    predict: (after) => {
      const user = after as UserAfter;
      if (user === null) return null;
      if (compares(user)) return undefined;
      return { name: args.name, uid: user.uid ?? -1, gid: user.gid ?? -1, home: user.home ?? "", shell: user.shell ?? "" };
    },
  };
  const names = (argv: string[], pick: (after: NonNullable<UserAfter>) => readonly string[] | undefined): Fact<string[]> => ({
    argv,
    subject,
    parse: parseNames,
    predict: (after) => {
      const user = after as UserAfter;
      if (user === null) return [];
      const known = pick(user);
      // groups this task does not compare need not be known
      if (known === undefined) return args.group === undefined && args.groups === undefined ? [] : undefined;
      return [...known];
    },
  });
  return {
    passwd,
    primary: names(["id", "-gn", "--", args.name], (after) => (after.primary === undefined ? undefined : [after.primary])),
    // id -Gn lists the primary group too
    groups: names(["id", "-Gn", "--", args.name], (after) => (after.groups === undefined || after.primary === undefined ? undefined : [after.primary, ...after.groups])),
  };
}

type UserFacts = FactValues<ReturnType<typeof userFacts>>;

/** The account once created: what the arguments say; with useradd's own home, what it makes there check mode cannot foresee. */
function createdEffects(args: UserArgs): Effect[] {
  const after: UserAfter = { uid: args.uid, home: args.home, shell: args.shell, primary: args.group, groups: args.groups ?? [] };
  const effects: Effect[] = [{ kind: "thing", subject: `user:${args.name}`, after }];
  if (args.create_home) effects.push({ kind: "unknown", what: `the home directory useradd makes for ${args.name}` });
  return effects;
}

function modifiedEffects(args: UserArgs, entry: PasswdEntry, primary: string, groups: readonly string[]): Effect[] {
  const supplementary = groups.filter((name) => name !== primary);
  const wanted = args.groups === undefined ? supplementary : args.append ? [...new Set([...supplementary, ...args.groups])] : args.groups;
  const after: UserAfter = {
    uid: args.uid ?? entry.uid,
    home: args.home ?? entry.home,
    shell: args.shell ?? entry.shell,
    // a gid given as a number names a group check mode does not know by name
    primary: args.group === undefined ? primary : /^\d+$/.test(args.group) ? undefined : args.group,
    groups: wanted.filter((name) => name !== (args.group ?? primary)),
  };
  return [{ kind: "thing", subject: `user:${args.name}`, after }];
}

function planUser(args: UserArgs, facts: UserFacts): Plan {
  const entry = facts.passwd;
  if (args.state === "absent") {
    if (entry === null) return ok(`user ${args.name} does not exist`);
    const effects: Effect[] = [{ kind: "thing", subject: `user:${args.name}`, after: null }];
    if (args.remove) effects.push({ kind: "unknown", what: `the home directory and mail spool of ${args.name}` });
    return change([{ kind: "run", argv: ["userdel", ...(args.remove ? ["-r"] : []), "--", args.name] }], `user ${args.name} exists`, effects);
  }
  if (entry === null) return change([addStep(args)], `user ${args.name} does not exist`, createdEffects(args));
  const primary = facts.primary[0] ?? "";
  const options = modifyOptions(args, entry, primary, facts.groups);
  if (options.length === 0) return ok(`user ${args.name} is as wanted`);
  return change([{ kind: "run", argv: ["usermod", ...options, "--", args.name] }], `user ${args.name} differs`, modifiedEffects(args, entry, primary, facts.groups));
}

export const user = defineModule({
  name: "user",
  summary: "Manage local user accounts",
  example: ["- name: Deploy user", "  user:", "    name: deploy", "    groups: [sudo]", "    append: true", "    shell: /bin/bash"].join("\n"),
  schema,
  facts: userFacts,
  plan: planUser,
});
