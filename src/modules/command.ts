/** command: runs a program with arguments, no shell (no pipes, globs or variables). */
import { z } from "zod";
import { defineModule } from "./types.js";
import { guardFacts, planRun, runOptionFields } from "./support/run-command.js";
import { splitShellWords } from "../source/shell-words.js";
import { shellJoin } from "../transport/quote.js";

const schema = z
  .strictObject({
    cmd: z.string().min(1).optional().describe("The command line, split into words like a shell would, but never run by one."),
    argv: z.array(z.string()).min(1).optional().describe("The command as a list of arguments, instead of cmd."),
    ...runOptionFields,
  })
  .superRefine((args, ctx) => {
    if ((args.cmd === undefined) === (args.argv === undefined)) {
      ctx.addIssue({ code: "custom", path: ["cmd"], message: "give exactly one of 'cmd' or 'argv'" });
    }
    if (args.cmd !== undefined) {
      try {
        splitWords(args.cmd);
      } catch (error) {
        ctx.addIssue({ code: "custom", path: ["cmd"], message: (error as Error).message });
      }
    }
  });

export const command = defineModule({
  name: "command",
  summary: "Run a command without a shell; always changed unless creates/removes skip it",
  example: ["- name: Initialise the database", "  command: /usr/local/bin/initdb --data /srv/db", "  args:", "    creates: /srv/db/PG_VERSION"].join("\n"),
  schema,
  facts: (args) => guardFacts(args),
  plan: (args, guards) => planRun(args.argv ?? splitWords(args.cmd ?? ""), args.cmd ?? shellJoin(args.argv ?? []), args, guards),
});

/** `cmd` split as Ansible's command module does (Python's shlex.split). */
export function splitWords(text: string): string[] {
  return splitShellWords(text).map((word) => word.text);
}
