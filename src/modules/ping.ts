/** ping: proves the host runs commands over the connection (Ansible's ping, without Python). */
import { z } from "zod";
import { defineLegacyModule } from "./types.js";

const schema = z.strictObject({
  data: z.string().default("pong").describe("What to answer with; 'crash' makes the task fail, as in Ansible."),
});

export const ping = defineLegacyModule({
  name: "ping",
  summary: "Check that the host can be reached and runs commands",
  example: ["- name: Reach every host", "  ping:"].join("\n"),
  schema,
  probe: () => [{ argv: ["true"] }],
  plan: (args, [result]) => {
    if (args.data === "crash") return { steps: [], failed: "boom (data=crash)" };
    if (result === undefined || result.rc !== 0) return { steps: [], failed: `the host could not run 'true': ${result?.stderr.trim() ?? "no answer"}` };
    return { steps: [], changed: false, data: { ping: args.data } };
  },
});
