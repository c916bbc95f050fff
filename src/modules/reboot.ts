/**
 * reboot: restart the host and wait until it is back (a new boot id, then test_command), as
 * Ansible's reboot action does. The plan is the reboot command, started detached after
 * pre_reboot_delay so that its own session can end cleanly, and the wait it needs: the host's
 * boot id before (a fact), reboot_timeout, connect_timeout, test_command, post_reboot_delay.
 *
 * The wait is the executor's part: it must drop the host's connection, reconnect until
 * reboot_timeout, and see the boot id change before it runs test_command. Until the executor
 * does that, a real run fails before it reboots anything (a reboot nobody waits for would leave
 * the play's next task unreachable); --check reports the reboot it would make.
 */
import { z } from "zod";
import { defineModule, type Fact, type Plan, type Step } from "./types.js";
import { change, fail } from "./support/plan.js";
import { ProbeError } from "./support/probe-error.js";
import { intArg } from "./support/schema.js";
import { shScript } from "../transport/quote.js";

const schema = z.strictObject({
  reboot_timeout: intArg("Seconds to wait for the host to come back and pass test_command.", 1).default(600),
  connect_timeout: intArg("Seconds for each reconnection attempt.", 1).optional(),
  test_command: z.string().min(1).default("whoami").describe("A command that succeeds once the host is ready."),
  pre_reboot_delay: intArg("Seconds before the reboot starts.").default(0),
  post_reboot_delay: intArg("Seconds to wait after the host is back, before test_command.").default(0),
  msg: z.string().default("Reboot initiated by Ansible").describe("The message shown to logged-in users."),
  reboot_command: z.string().min(1).optional().describe("The command that reboots (default: shutdown -r, else systemctl reboot)."),
  boot_time_command: z.string().min(1).default("cat /proc/sys/kernel/random/boot_id").describe("A command whose output changes with each boot."),
});

type RebootArgs = z.output<typeof schema>;

/** The boot id before the reboot: the wait is over when the host reports another one. */
function bootIdFact(command: string): Fact<string> {
  return {
    argv: ["sh", "-c", command],
    parse: (result) => {
      if (result.rc !== 0 || result.stdout.trim() === "") throw new ProbeError(`could not read the boot id (${command}): ${result.stderr.trim() || `exit ${result.rc}`}`);
      return result.stdout.trim();
    },
  };
}

/** The reboot, detached from the session that starts it, after the delay. */
export function rebootStep(args: RebootArgs): Step {
  const command = args.reboot_command ?? 'shutdown -r now "$2" || systemctl reboot';
  const script = `(sleep "$1"; ${command}) </dev/null >/dev/null 2>&1 &`;
  return { kind: "run", argv: shScript(script, String(args.pre_reboot_delay), args.msg), describe: `reboot (back within ${args.reboot_timeout} s, then ${args.test_command})` };
}

function planReboot(args: RebootArgs, bootId: string, check: boolean): Plan {
  const wait = { boot_id: bootId, reboot_timeout: args.reboot_timeout, connect_timeout: args.connect_timeout, test_command: args.test_command, post_reboot_delay: args.post_reboot_delay };
  if (!check) {
    return fail("reboot needs the executor to reconnect and wait for the host, which it does not yet", "run the reboot with a command task and wait_for_connection's equivalent outside runbook for now", { wait });
  }
  return change([rebootStep(args)], "the host would reboot", [{ kind: "unknown", what: "the host after its reboot" }], { data: { rebooted: true, wait } });
}

export const reboot = defineModule({
  name: "reboot",
  summary: "Reboot the host and wait until it is back (check mode only until the executor waits)",
  example: ["- name: Boot into the new kernel", "  reboot:", "    reboot_timeout: 300", "    test_command: uptime"].join("\n"),
  schema,
  facts: (args) => ({ bootId: bootIdFact(args.boot_time_command) }),
  plan: (args, facts, ctx) => planReboot(args, facts.bootId, ctx.check),
});
