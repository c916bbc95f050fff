/** user: a local account, via getent probes and useradd/usermod/userdel. */
import { posix } from "node:path";
import { z } from "zod";
import { defineModule, type Effect, type Fact, type FactValues, type Plan, type Step } from "./types.js";
import { parseNames, parsePasswd, parseShadowPassword, type PasswdEntry } from "./support/accounts.js";
import { createHomeStep, homeExistsFact } from "./support/home-dir.js";
import { change, ok } from "./support/plan.js";
import { boolish, intArg, stringList } from "./support/schema.js";

const schema = z.strictObject({
  name: z.string().regex(/^[a-z_][a-z0-9_.-]*\$?$/i, "expected a user name").describe("The account name."),
  state: z.enum(["present", "absent"]).default("present").describe("Whether the account exists."),
  uid: intArg("The user id.").optional(),
  non_unique: boolish("Allow a uid another account has (useradd/usermod -o).").default(false),
  group: z.string().min(1).optional().describe("Primary group (name or gid)."),
  groups: stringList("Supplementary groups; with append false, exactly these.").optional(),
  append: boolish("Add to groups without removing the account from others.").default(false),
  comment: z.string().optional().describe("The account's description (GECOS field)."),
  shell: z.string().min(1).optional().describe("Login shell."),
  home: z.string().min(1).optional().describe("Home directory."),
  create_home: boolish("Create the home directory (from /etc/skel) when it is missing, also for an existing account.").default(true),
  move_home: boolish("With a new home for an existing account: move the old home there (usermod -m).").default(false),
  password: z.string().optional().describe("The password hash as /etc/shadow holds it (crypt(3)); '!' or '*' for no password login."),
  update_password: z.enum(["always", "on_create"]).default("always").describe("always: set password when it differs; on_create: only for a new account."),
  password_lock: boolish("Lock (true) or unlock (false) the password (usermod -L/-U).").optional(),
  system: boolish("Create a system account (only when creating).").default(false),
  remove: boolish("With state absent: also remove the home directory and mail spool.").default(false),
});

type UserArgs = z.output<typeof schema>;

/** The password field useradd/usermod -p writes. */
const wantedPassword = (args: UserArgs): string | undefined => (args.password === undefined ? undefined : args.password_lock === true ? `!${args.password}` : args.password);

function addStep(args: UserArgs): Step {
  const argv = ["useradd"];
  if (args.uid !== undefined) argv.push("-u", String(args.uid), ...(args.non_unique ? ["-o"] : []));
  if (args.group !== undefined) argv.push("-g", args.group);
  if (args.groups !== undefined && args.groups.length > 0) argv.push("-G", args.groups.join(","));
  if (args.comment !== undefined) argv.push("-c", args.comment);
  if (args.home !== undefined) argv.push("-d", args.home);
  if (args.shell !== undefined) argv.push("-s", args.shell);
  const password = wantedPassword(args);
  if (password !== undefined) argv.push("-p", password);
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

/** usermod's lock, unlock or new password, as Ansible decides them (a new password wins over -L/-U). */
function passwordChange(args: UserArgs, current: string | null | undefined): string[] {
  if (current === null || current === undefined) return [];
  const password = wantedPassword(args);
  if (args.update_password === "always" && password !== undefined && current.replace(/^!+/, "") !== password.replace(/^!+/, "")) return ["-p", password];
  if (args.password_lock === true && !current.startsWith("!")) return ["-L"];
  if (args.password_lock === false && current.startsWith("!")) return ["-U"];
  return [];
}

function modifyOptions(args: UserArgs, entry: PasswdEntry, facts: UserFacts): string[] {
  const primary = facts.primary[0] ?? "";
  const options: string[] = [];
  if (args.uid !== undefined && args.uid !== entry.uid) options.push("-u", String(args.uid), ...(args.non_unique ? ["-o"] : []));
  if (args.group !== undefined && args.group !== primary && args.group !== String(entry.gid)) options.push("-g", args.group);
  options.push(...groupsChange(args, primary, facts.groups));
  if (args.comment !== undefined && args.comment !== entry.comment) options.push("-c", args.comment);
  if (args.home !== undefined && args.home !== entry.home) options.push("-d", args.home, ...(args.move_home ? ["-m"] : []));
  if (args.shell !== undefined && args.shell !== entry.shell) options.push("-s", args.shell);
  return [...options, ...passwordChange(args, facts.shadow)];
}

/**
 * The account after a change, for check mode: null when deleted; what useradd picks itself (a
 * uid, a shell, a home) as undefined; `primary` and `groups` by name.
 */
type UserAfter = {
  readonly uid?: number | undefined;
  readonly gid?: number | undefined;
  readonly comment?: string | undefined;
  readonly home?: string | undefined;
  readonly shell?: string | undefined;
  readonly password?: string | undefined;
  readonly primary?: string | undefined;
  readonly groups?: readonly string[] | undefined;
} | null;

/** The facts about `user:NAME` (and its home). A predicted account answers them, unless this task compares what it did not say. */
function userFacts(args: UserArgs) {
  const subject = `user:${args.name}`;
  const compares = (after: NonNullable<UserAfter>): boolean =>
    (args.uid !== undefined && after.uid === undefined) ||
    (args.shell !== undefined && after.shell === undefined) ||
    (args.home !== undefined && after.home === undefined) ||
    (args.comment !== undefined && after.comment === undefined);
  const passwd: Fact<PasswdEntry | null> = {
    argv: ["getent", "passwd", args.name],
    subject,
    parse: parsePasswd,
    predict: (after) => {
      const user = after as UserAfter;
      if (user === null) return null;
      if (compares(user)) return undefined;
      return { name: args.name, uid: user.uid ?? -1, gid: user.gid ?? -1, comment: user.comment ?? "", home: user.home ?? "", shell: user.shell ?? "" };
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
  const readsShadow = args.state === "present" && (args.password !== undefined || args.password_lock !== undefined);
  const shadow: Fact<string | null> = { argv: ["getent", "shadow", args.name], subject, parse: parseShadowPassword, predict: (after) => (after === null ? null : (after as NonNullable<UserAfter>).password) };
  return {
    passwd,
    primary: names(["id", "-gn", "--", args.name], (after) => (after.primary === undefined ? undefined : [after.primary])),
    // id -Gn lists the primary group too
    groups: names(["id", "-Gn", "--", args.name], (after) => (after.groups === undefined || after.primary === undefined ? undefined : [after.primary, ...after.groups])),
    shadow: readsShadow ? shadow : undefined,
    homeExists: args.state === "present" && args.create_home ? homeExistsFact(args.name, args.home) : undefined,
  };
}

type UserFacts = FactValues<ReturnType<typeof userFacts>>;

/** The account once created: what the arguments say; with useradd's own home, what it makes there check mode cannot foresee. */
function createdEffects(args: UserArgs): Effect[] {
  const after: UserAfter = { uid: args.uid, comment: args.comment, home: args.home, shell: args.shell, password: wantedPassword(args), primary: args.group, groups: args.groups ?? [] };
  const effects: Effect[] = [{ kind: "thing", subject: `user:${args.name}`, after }];
  if (!args.create_home) return effects;
  if (args.home !== undefined) effects.push({ kind: "path", path: args.home, after: { exists: true, kind: "directory", owner: args.name } });
  effects.push({ kind: "unknown", what: `the home directory useradd makes for ${args.name}` });
  return effects;
}

function modifiedEffects(args: UserArgs, entry: PasswdEntry, facts: UserFacts): Effect[] {
  const primary = facts.primary[0] ?? "";
  const supplementary = facts.groups.filter((name) => name !== primary);
  const wanted = args.groups === undefined ? supplementary : args.append ? [...new Set([...supplementary, ...args.groups])] : args.groups;
  const lock = (password: string): string => (args.password_lock === true && !password.startsWith("!") ? `!${password}` : args.password_lock === false ? password.replace(/^!+/, "") : password);
  const after: UserAfter = {
    uid: args.uid ?? entry.uid,
    comment: args.comment ?? entry.comment,
    home: args.home ?? entry.home,
    shell: args.shell ?? entry.shell,
    password: facts.shadow === undefined || facts.shadow === null ? undefined : (args.update_password === "always" ? wantedPassword(args) : undefined) ?? lock(facts.shadow),
    // a gid given as a number names a group check mode does not know by name
    primary: args.group === undefined ? primary : /^\d+$/.test(args.group) ? undefined : args.group,
    groups: wanted.filter((name) => name !== (args.group ?? primary)),
  };
  return [{ kind: "thing", subject: `user:${args.name}`, after }];
}

function planExistingUser(args: UserArgs, entry: PasswdEntry, facts: UserFacts): Plan {
  const options = modifyOptions(args, entry, facts);
  const steps: Step[] = options.length === 0 ? [] : [{ kind: "run", argv: ["usermod", ...options, "--", args.name] }];
  const effects = options.length === 0 ? [] : modifiedEffects(args, entry, facts);
  const home = args.home ?? entry.home;
  // as Ansible: create_home also makes a missing home of an account that exists
  if (facts.homeExists === false && home !== "") {
    steps.push(createHomeStep(args.name, home));
    effects.push({ kind: "path", path: home, after: { exists: true, kind: "directory", owner: args.name } });
  }
  if (steps.length === 0) return ok(`user ${args.name} is as wanted`);
  return change(steps, options.length === 0 ? `the home ${home} of ${args.name} is missing` : `user ${args.name} differs`, effects);
}

function planUser(args: UserArgs, facts: UserFacts): Plan {
  const entry = facts.passwd;
  if (args.state === "absent") {
    if (entry === null) return ok(`user ${args.name} does not exist`);
    const effects: Effect[] = [{ kind: "thing", subject: `user:${args.name}`, after: null }];
    if (args.remove) effects.push({ kind: "unknown", what: `the home directory and mail spool of ${args.name}` });
    return change([{ kind: "run", argv: ["userdel", ...(args.remove ? ["-r"] : []), "--", args.name] }], `user ${args.name} exists`, effects);
  }
  if (entry === null) {
    // as Ansible: a new home's missing parents are made (root's, umask modes) before useradd -m makes the home
    const parents: Step[] = args.create_home && args.home !== undefined ? [{ kind: "run", argv: ["mkdir", "-p", "--", posix.dirname(args.home)] }] : [];
    return change([...parents, addStep(args)], `user ${args.name} does not exist`, createdEffects(args));
  }
  return planExistingUser(args, entry, facts);
}

export const user = defineModule({
  name: "user",
  summary: "Manage local user accounts",
  example: ["- name: Deploy user", "  user:", "    name: deploy", "    comment: Deployments", "    groups: [sudo]", "    append: true", "    shell: /bin/bash"].join("\n"),
  schema,
  facts: userFacts,
  plan: planUser,
});
