/**
 * script: a script on the controller (role files/, then the playbook's directory), copied to the
 * host and run there by its shell, with the rest of the line as its arguments (the shell expands
 * them, as Ansible's does). creates/removes skip it (status skipped, as Ansible's); always changed
 * when it runs.
 */
import { randomBytes } from "node:crypto";
import { posix } from "node:path";
import { z } from "zod";
import { defineModule, type Fact } from "./types.js";
import { change, fail, skip } from "./support/plan.js";
import { globExistsFact } from "./support/path-facts.js";
import { splitShellWords } from "../source/shell-words.js";
import { quote } from "../transport/quote.js";

const schema = z
  .strictObject({
    cmd: z.string().min(1).describe("The local script's path, then its arguments (the task's free form)."),
    creates: z.string().min(1).optional().describe("Skip the script when this path exists on the host."),
    removes: z.string().min(1).optional().describe("Run the script only when this path exists on the host."),
    chdir: z.string().regex(/^\//, "chdir must be an absolute path").optional().describe("Absolute directory on the host to run the script in."),
    executable: z.string().min(1).optional().describe("The program that runs the script (`<executable> script args`), instead of its #! line."),
  })
  .superRefine((args, ctx) => {
    try {
      if (splitShellWords(args.cmd).length === 0) ctx.addIssue({ code: "custom", path: ["cmd"], message: "no script given" });
    } catch (error) {
      ctx.addIssue({ code: "custom", path: ["cmd"], message: (error as Error).message });
    }
  });

type ScriptArgs = z.output<typeof schema>;

/** The local script and the rest of the line, as written (the host's shell parses it). */
function scriptLine(cmd: string): { readonly source: string; readonly rest: string } {
  const words = splitShellWords(cmd.trim());
  const second = words[1];
  return { source: words[0]?.text ?? "", rest: second === undefined ? "" : cmd.trim().slice(second.column) };
}

/** Runs the copied script in chdir, then removes it whatever the script did; exits with its code. */
function runScript(args: ScriptArgs, path: string, rest: string): string {
  const lines = args.chdir !== undefined ? [`cd ${quote(args.chdir)} || { rm -f -- ${quote(path)}; exit 1; }`] : [];
  lines.push(`${args.executable !== undefined ? `${quote(args.executable)} ` : ""}${quote(path)} ${rest}`);
  lines.push(`__rb_rc=$?; rm -f -- ${quote(path)}; exit $__rb_rc`);
  return lines.join("\n");
}

// a type, not an interface: only a type is assignable to FactRequests' index signature
type ScriptFacts = { readonly creates: Fact<boolean> | undefined; readonly removes: Fact<boolean> | undefined };

export const script = defineModule({
  name: "script",
  summary: "Copy a local script to the host and run it there; always changed unless creates/removes skip it",
  example: ["- name: Prepare the disks", "  script: files/prepare-disks.sh --fast", "  args:", "    creates: /var/lib/disks.done"].join("\n"),
  failureChanges: true,
  schema,
  facts: (args): ScriptFacts => ({
    creates: args.creates === undefined ? undefined : globExistsFact(args.creates),
    removes: args.removes === undefined ? undefined : globExistsFact(args.removes),
  }),
  plan: (args, guards, ctx) => {
    if (guards.creates === true) return skip(`${args.creates} exists, matching creates option`);
    if (guards.removes === false) return skip(`${args.removes} does not exist, matching removes option`);
    const { source, rest } = scriptLine(args.cmd);
    let content: Buffer;
    try {
      content = ctx.readLocalFile(source);
    } catch (error) {
      return fail(`Could not find or access '${source}': ${(error as Error).message}`, "put the script in the role's files/ or beside the playbook");
    }
    const path = `/tmp/.runbook-script-${randomBytes(6).toString("hex")}-${posix.basename(source)}`;
    return change(
      [
        { kind: "put", path, content, mode: "0700" },
        { kind: "run", argv: ["sh", "-c", runScript(args, path, rest)], describe: `run ${source}${rest ? ` ${rest}` : ""}`, outputEnds: "as-is" },
      ],
      undefined,
      [{ kind: "unknown", what: `what the script ${source} does` }],
    );
  },
});
