/**
 * raw: a command line sent to the host's shell as it is, with no module code on the host (for
 * hosts without Python, or to install it). Always changed; a nonzero exit fails.
 */
import { z } from "zod";
import { defineModule } from "./types.js";
import { change } from "./support/plan.js";

const schema = z.strictObject({
  cmd: z.string().min(1).describe("The command line, run by the shell as written (the task's free form)."),
  executable: z.string().min(1).default("sh").describe("The shell that runs cmd, as `<executable> -c cmd`."),
});

export const raw = defineModule({
  name: "raw",
  summary: "Run a command line through the host's shell, as it is; always changed",
  example: ["- name: Bootstrap Python", "  raw: test -e /usr/bin/python3 || (apt-get update && apt-get install -y python3)"].join("\n"),
  failureChanges: true,
  schema,
  // what the command does cannot be foreseen: check mode reports it as a would-be change
  plan: (args) =>
    change([{ kind: "run", argv: [args.executable, "-c", args.cmd], outputEnds: "as-is" }], undefined, [{ kind: "unknown", what: `what \`${args.cmd}\` does` }]),
});
