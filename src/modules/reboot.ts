/**
 * reboot: restart the host and wait until it is back, as Ansible's reboot action does
 * (plugins/action/reboot.py). Facts: the boot id before (boot_time_command) and where the
 * shutdown command lives (the first of search_paths that has it). The plan is one reconnect
 * step (modules/types.ts ReconnectStep, run by executor/reconnect.ts): `shutdown -r MINUTES
 * MSG` (pre_reboot_delay in whole minutes, as Ansible does on Linux), post_reboot_delay, then
 * over a new connection until the boot id differs, then until test_command succeeds, each
 * within reboot_timeout. The result has `rebooted` and `elapsed`; facts gathered before stay.
 *
 * Check mode reads nothing and reports the reboot as a change, as Ansible does (changed,
 * rebooted, elapsed 0). Over a local connection it fails in every mode, as Ansible's.
 */
import { z } from "zod";
import type { Facts } from "../facts/types.js";
import { shellJoin, shScript } from "../transport/quote.js";
import { defineModule, type Fact, type Plan, type PlanContext, type ReconnectStep } from "./types.js";
import { change, fail } from "./support/plan.js";
import { ProbeError } from "./support/probe-error.js";
import { intArg, stringList } from "./support/schema.js";

const DEFAULT_SEARCH_PATHS = ["/sbin", "/bin", "/usr/sbin", "/usr/bin", "/usr/local/sbin"];

/** Seconds; Ansible takes a negative delay as 0. */
function delayArg(description: string) {
  const error = "expected a whole number of seconds";
  return z
    .union([z.number().int({ error }), z.string().regex(/^-?\d+$/, { error })], { error })
    .transform((value) => Math.max(0, Number(value)))
    .default(0)
    .describe(description);
}

const schema = z.strictObject({
  reboot_timeout: intArg("Seconds to wait for the host to come back with a new boot id, and again for test_command to succeed.", 1).default(600),
  connect_timeout: intArg("Seconds each new connection may take while the host comes back (default: the host's own).", 1).optional(),
  test_command: z.string().min(1).default("whoami").describe("A command that succeeds once the host is ready."),
  pre_reboot_delay: delayArg("Seconds before the reboot, given to shutdown in whole minutes (under 60: at once), as Ansible does on Linux."),
  post_reboot_delay: delayArg("Seconds to wait after the reboot command, before checking that the host is back."),
  msg: z.string().default("Reboot initiated by Ansible").describe("The message shown to logged-in users (shutdown's wall message)."),
  search_paths: stringList("Directories searched, in order, for the shutdown command (or reboot_command's) when it is not an absolute path.").default(DEFAULT_SEARCH_PATHS),
  boot_time_command: z.string().min(1).default("cat /proc/sys/kernel/random/boot_id").describe("A shell command whose output changes with each boot."),
  reboot_command: z
    .string()
    .min(1)
    .optional()
    .describe("The command that reboots, with its arguments as shell words (then pre_reboot_delay and msg are not used); default: shutdown -r."),
});

type RebootArgs = z.output<typeof schema>;

/** Where Ansible's defaults differ by distribution (its SHUTDOWN_COMMANDS and SHUTDOWN_COMMAND_ARGS): Alpine's `reboot` takes no arguments. */
function shutdownCommand(facts: Facts | undefined): { readonly name: string; readonly withArgs: boolean } {
  const distribution = facts?.os.distribution.toLowerCase();
  return distribution === "alpine" ? { name: "reboot", withArgs: false } : { name: "shutdown", withArgs: true };
}

/** The command's name (its first word) and the shell text after it, as Ansible splits reboot_command. */
function commandWords(args: RebootArgs, facts: Facts | undefined): { readonly name: string; readonly rest: string | undefined } {
  if (args.reboot_command === undefined) return { name: shutdownCommand(facts).name, rest: undefined };
  const space = args.reboot_command.indexOf(" ");
  return space < 0 ? { name: args.reboot_command, rest: "" } : { name: args.reboot_command.slice(0, space), rest: args.reboot_command.slice(space + 1) };
}

/** The boot id before the reboot: the wait is over when the host reports another one. */
function bootIdFact(command: string): Fact<string> {
  return {
    argv: ["sh", "-c", command],
    parse: (result) => {
      if (result.rc !== 0) throw new ProbeError(`reboot: failed to get host boot time info, rc: ${result.rc}, stdout: ${result.stdout.trim()}, stderr: ${result.stderr.trim()}`);
      return result.stdout.trim();
    },
  };
}

/** The first `dir/name` that exists, in the order of the directories (Ansible's find over search_paths); undefined: none has it. */
function commandPathFact(name: string, dirs: readonly string[]): Fact<string | undefined> {
  const script = 'name=$1; shift; for dir do if [ -e "$dir/$name" ] || [ -L "$dir/$name" ]; then printf "%s\\n" "$dir/$name"; exit 0; fi; done; exit 1';
  return {
    argv: shScript(script, name, ...dirs),
    parse: (result) => {
      if (result.rc === 0 && result.stdout.trim() !== "") return result.stdout.trim();
      if (result.rc === 1) return undefined;
      throw new ProbeError(`reboot: could not look for ${name} in ${dirs.join(", ")}: ${result.stderr.trim() || `exit ${result.rc}`}`);
    },
  };
}

/** The reboot command: shutdown's argv from the arguments, or reboot_command's own words after the found path. */
function rebootArgv(args: RebootArgs, path: string, facts: Facts | undefined): readonly string[] {
  const { rest } = commandWords(args, facts);
  if (rest !== undefined) return rest === "" ? [path] : shScript(`exec "$1" ${rest}`, path);
  if (!shutdownCommand(facts).withArgs) return [path];
  return [path, "-r", String(Math.floor(args.pre_reboot_delay / 60)), args.msg];
}

/** Ansible's way of printing the list in its error: a Python list. */
function pythonList(items: readonly string[]): string {
  return `[${items.map((item) => `'${item}'`).join(", ")}]`;
}

function planReboot(args: RebootArgs, facts: { readonly bootId?: string | undefined; readonly commandPath?: string | undefined }, context: PlanContext): Plan {
  // Ansible refuses first, even in check mode; the executor refuses a local transport too (an implicit localhost has no ansible_connection)
  if (context.vars["ansible_connection"] === "local") return fail("Running reboot with local connection would reboot the control node.", undefined, { rebooted: false, elapsed: 0 });
  const checkData = { rebooted: true, elapsed: 0 };
  const { name } = commandWords(args, context.facts);
  const path = name.startsWith("/") ? name : facts.commandPath;
  if (context.check) {
    const step = rebootStep(args, [path ?? name], "");
    return change([step], "the host would reboot", [{ kind: "unknown", what: "the host after its reboot" }], { data: checkData });
  }
  if (path === undefined) return fail(`Unable to find command "${name}" in search paths: ${pythonList(args.search_paths)}`, "install it, or give reboot_command or search_paths", { rebooted: false });
  const trigger = rebootArgv(args, path, context.facts);
  const step = rebootStep(args, trigger, facts.bootId ?? "");
  return change([step], "the host rebooted", [{ kind: "unknown", what: "the host after its reboot" }], { data: { rebooted: true } });
}

function rebootStep(args: RebootArgs, trigger: readonly string[], bootId: string): ReconnectStep {
  return {
    kind: "reconnect",
    describe: `${shellJoin(trigger)}, then wait up to ${args.reboot_timeout} s for a new boot and ${args.test_command}`,
    trigger,
    delaySeconds: args.post_reboot_delay,
    timeoutSeconds: args.reboot_timeout,
    connectTimeoutSeconds: args.connect_timeout,
    bootChange: { argv: ["sh", "-c", args.boot_time_command], before: bootId, what: "last boot time check" },
    test: { argv: ["sh", "-c", args.test_command], what: "post-reboot test command" },
    pause: "backoff",
    renewEachTry: false,
    triggeredKey: "rebooted",
  };
}

export const reboot = defineModule({
  name: "reboot",
  summary: "Reboot the host, wait until it is back with a new boot id, then go on over a new connection",
  example: ["- name: Boot into the new kernel", "  reboot:", "    reboot_timeout: 300", "    test_command: uptime"].join("\n"),
  schema,
  facts: (args, ctx) => {
    const { name } = commandWords(args, ctx.facts);
    const reads = !ctx.check && ctx.vars["ansible_connection"] !== "local";
    return {
      bootId: reads ? bootIdFact(args.boot_time_command) : undefined,
      commandPath: reads && !name.startsWith("/") ? commandPathFact(name, args.search_paths) : undefined,
    };
  },
  plan: (args, facts, ctx) => planReboot(args, facts, ctx),
});
