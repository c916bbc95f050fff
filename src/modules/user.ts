/** user: a local account, via getent probes and useradd/usermod/userdel. */
import { z } from "zod";
import { defineLegacyModule, type LegacyPlan, type Step } from "./types.js";
import { parseNames, parsePasswd, type PasswdEntry } from "./support/accounts.js";
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

export const user = defineLegacyModule({
  name: "user",
  summary: "Manage local user accounts",
  example: ["- name: Deploy user", "  user:", "    name: deploy", "    groups: [sudo]", "    append: true", "    shell: /bin/bash"].join("\n"),
  schema,
  probe: (args) => [
    { argv: ["getent", "passwd", args.name] },
    { argv: ["id", "-gn", "--", args.name] },
    { argv: ["id", "-Gn", "--", args.name] },
  ],
  plan: (args, results): LegacyPlan => {
    const [passwd, primaryResult, groupsResult] = results;
    const entry = passwd === undefined ? undefined : parsePasswd(passwd);
    if (args.state === "absent") {
      if (entry === undefined) return { steps: [], msg: `user ${args.name} does not exist` };
      return { steps: [{ kind: "run", argv: ["userdel", ...(args.remove ? ["-r"] : []), "--", args.name] }], msg: `user ${args.name} exists` };
    }
    if (entry === undefined) return { steps: [addStep(args)], msg: `user ${args.name} does not exist` };
    const primary = parseNames(primaryResult)[0] ?? "";
    const options = modifyOptions(args, entry, primary, parseNames(groupsResult));
    if (options.length === 0) return { steps: [], msg: `user ${args.name} is as wanted` };
    return { steps: [{ kind: "run", argv: ["usermod", ...options, "--", args.name] }], msg: `user ${args.name} differs` };
  },
});
