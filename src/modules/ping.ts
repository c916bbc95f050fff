/** ping: proves the host runs commands over the connection (Ansible's ping, without Python). */
import { z } from "zod";
import { defineModule, type Fact } from "./types.js";
import { fail, ok } from "./support/plan.js";
import { ProbeError } from "./support/probe-error.js";

const schema = z.strictObject({
  data: z.string().default("pong").describe("What to answer with; 'crash' makes the task fail, as in Ansible."),
});

/** The host ran `true`: nothing else is asked of it. */
const answers: Fact<true> = {
  argv: ["true"],
  parse: (result) => {
    if (result.rc !== 0) throw new ProbeError(`the host could not run 'true': ${result.stderr.trim() || `exit ${result.rc}`}`);
    return true;
  },
};

export const ping = defineModule({
  name: "ping",
  summary: "Check that the host can be reached and runs commands",
  example: ["- name: Reach every host", "  ping:"].join("\n"),
  schema,
  readsOnly: true,
  facts: () => ({ answers }),
  plan: (args) => (args.data === "crash" ? fail("boom (data=crash)") : ok(undefined, { data: { ping: args.data } })),
});
