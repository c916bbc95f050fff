/**
 * wait_for_connection: waits until the host can be reached and runs a command again (after a
 * reboot started by a command, a host that is still booting), as Ansible's action
 * (plugins/action/wait_for_connection.py): after `delay`, every `sleep` seconds a new
 * connection tries a command (Ansible's ping module; here `true`), until `timeout`. Each try
 * replaces the host's connection (Ansible resets it), so a connection lost before this task
 * does not leave the host unreachable: the new one is used for the rest of the run
 * (executor/reconnect.ts). Changes nothing; skipped in check mode, as in Ansible.
 */
import { z } from "zod";
import { defineModule, type Plan } from "./types.js";
import { skip } from "./support/plan.js";
import { intArg } from "./support/schema.js";

const schema = z.strictObject({
  connect_timeout: intArg("Seconds each connection attempt may take.", 1).default(5),
  delay: intArg("Seconds to wait before the first try.").default(0),
  sleep: intArg("Seconds between tries.", 1).default(1),
  timeout: intArg("Seconds to keep trying before failing.", 1).default(600),
});

type WaitArgs = z.output<typeof schema>;

function planWait(args: WaitArgs, check: boolean): Plan {
  if (check) return skip("skipping for check_mode");
  return {
    kind: "ok",
    steps: [
      {
        kind: "reconnect",
        describe: `wait up to ${args.timeout} s for the host to answer over a new connection`,
        delaySeconds: args.delay,
        timeoutSeconds: args.timeout,
        connectTimeoutSeconds: args.connect_timeout,
        test: { argv: ["true"], what: "ping module test" },
        pause: { seconds: args.sleep },
        renewEachTry: true,
      },
    ],
  };
}

export const waitForConnection = defineModule({
  name: "wait_for_connection",
  summary: "Wait until the host can be reached again (after a reboot), over a new connection",
  example: ["- name: Wait for the host to come back", "  wait_for_connection:", "    delay: 5", "    timeout: 300"].join("\n"),
  schema,
  readsOnly: true,
  plan: (args, _facts, ctx) => planWait(args, ctx.check),
});
