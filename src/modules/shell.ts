/** shell: runs a command line through a shell (sh -c by default), with pipes and variables. */
import { z } from "zod";
import { defineModule } from "./types.js";
import { guardFacts, planRun, runOptionFields } from "./support/run-command.js";

const schema = z.strictObject({
  cmd: z.string().min(1).describe("The shell command line."),
  executable: z.string().min(1).default("sh").describe("The shell to run cmd with, as `<executable> -c cmd`."),
  ...runOptionFields,
});

export const shell = defineModule({
  name: "shell",
  summary: "Run a command line through a shell; always changed unless creates/removes skip it",
  example: ["- name: Count the users", "  shell: getent passwd | wc -l", "  register: users"].join("\n"),
  failureChanges: true,
  schema,
  facts: (args) => guardFacts(args),
  plan: (args, guards) => planRun([args.executable, "-c", args.cmd], args.cmd, args, guards),
});
