/** copy: puts a controller file, inline content or (remote_src) a file of the host at dest, idempotent by sha256. */
import { z } from "zod";
import { defineModule, type Plan, type PlanContext, type Step } from "./types.js";
import { attributeChanges, attributeSteps } from "./support/attributes.js";
import { copyDestFacts, resolveDest, withFirstStep, type ResolvedDest } from "./support/copy-dest.js";
import { fileStateFact, type FileState } from "./support/file-state.js";
import { resolveModeText } from "./support/mode.js";
import { change, fail, ok } from "./support/plan.js";
import { backupStep, planWantedFileFromState } from "./support/put-file.js";
import { attributeFields, boolish, modeArg, modeOrPreserveArg, type Attributes } from "./support/schema.js";
import { shScript } from "../transport/quote.js";

export { copyDestination } from "./support/copy-dest.js";

/** Ansible writes a number as its digits and a mapping or list as JSON (Python's json.dumps spacing). */
const contentArg = z
  .union([z.string(), z.number(), z.boolean(), z.array(z.unknown()), z.record(z.string(), z.unknown())], { error: "expected text (or a number, list or mapping, written as JSON)" })
  .transform((value) => (typeof value === "string" ? value : typeof value === "boolean" ? (value ? "True" : "False") : pythonJson(value)))
  .describe("Inline content to write instead of src; a mapping or list is written as JSON.");

function pythonJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(pythonJson).join(", ")}]`;
  if (value !== null && typeof value === "object") return `{${Object.entries(value).map(([key, item]) => `${JSON.stringify(key)}: ${pythonJson(item)}`).join(", ")}}`;
  return JSON.stringify(value) ?? "null";
}

export const validateArg = z
  .string()
  .refine((value) => value.includes("%s"), "validate must contain %s, the new file's path")
  .optional()
  .describe("Command that checks the new file (%s is its path) before it replaces dest; the task fails when it fails.");

const schema = z
  .strictObject({
    src: z.string().min(1).optional().describe("Controller file to copy (looked up in the role's files/, then the playbook directory); with remote_src, a file on the host."),
    content: contentArg.optional(),
    dest: z.string().min(1).describe("Path on the host. Ending in '/', or an existing directory: into it, under src's base name."),
    force: boolish("Replace the file when its content differs; false only creates missing files.").default(true),
    remote_src: boolish("src is a file on the host, not on the controller.").default(false),
    follow: boolish("When dest is a symbolic link, write its target (default: replace the link by a file).").default(false),
    local_follow: boolish("Accepted for Ansible's roles: controller links are always followed.").default(true),
    backup: boolish("Keep the old file as DEST.PID.YYYY-MM-DD@HH:MM:SS~ when replacing it.").default(false),
    validate: validateArg,
    directory_mode: modeArg.optional().describe("Mode of the directories made for a dest ending in '/'."),
    ...attributeFields,
    mode: modeOrPreserveArg.optional(),
  })
  .superRefine((args, ctx) => {
    if ((args.src === undefined) === (args.content === undefined)) {
      ctx.addIssue({ code: "custom", path: ["src"], message: "give exactly one of 'src' or 'content'" });
    }
    if (args.content !== undefined && args.dest.endsWith("/")) {
      ctx.addIssue({ code: "custom", path: ["dest"], message: "with 'content', dest must name a file, not end in '/'" });
    }
  });

export type CopyArgs = z.output<typeof schema>;

/**
 * "preserve": the source's mode, the host's file (remote_src) or the controller's; Ansible's
 * content goes through a 0600 temp file, which is what "preserve" sees.
 */
function wantedMode(args: CopyArgs, src: FileState | undefined, ctx: PlanContext): string | undefined {
  if (args.mode !== "preserve") return args.mode;
  if (args.content !== undefined) return "0600";
  if (args.remote_src) return src?.exists === true ? src.mode : undefined;
  return ctx.localFileMode(args.src ?? "");
}

function planCopy(args: CopyArgs, target: ResolvedDest, attributes: Attributes, content: Buffer): Plan {
  const wanted = { dest: target.dest, content, attributes, force: args.force, backup: args.backup, validate: args.validate };
  return withFirstStep(planWantedFileFromState(wanted, target.state, target.before), target.mkdir);
}

// cp to a temp file beside dest, its attributes set, then renamed over dest ($4: a validate command, or empty)
const REMOTE_COPY = [
  "set -e",
  't="$(dirname -- "$2")/.$(basename -- "$2").runbook-copy.tmp"',
  'cp -- "$1" "$t"',
  'if [ -n "$3" ]; then chmod "$3" "$t"; fi',
  'if [ -n "$5" ]; then chown "$5" "$t"; fi',
  'if [ -n "$4" ] && ! sh -c "$4" sh "$t"; then rm -f -- "$t"; echo "failed to validate" >&2; exit 1; fi',
  'mv -f -- "$t" "$2"',
].join("\n");

/** remote_src: compare the two files' checksums on the host; copy on the host when they differ. */
function planRemoteCopy(args: CopyArgs, target: ResolvedDest, src: FileState | undefined, attributes: Attributes): Plan {
  const from = args.src ?? "";
  if (src === undefined || !src.exists) return fail(`Source ${from} not found`);
  if (src.kind !== "file") return fail(`remote_src of a ${src.kind} (${from}) is not supported`, "copy a single file, or use a command task");
  const { dest, state } = target;
  if (state.exists && state.kind === "directory") return fail(`${dest} is a directory`);
  if (state.exists && state.kind === "file" && state.sha256 === src.sha256) {
    const steps = attributeSteps(dest, attributeChanges(attributes, state));
    return steps.length === 0 ? ok(`${dest} is up to date`) : change(steps, `attributes of ${dest} differ`, undefined);
  }
  if (state.exists && !args.force) return ok(`${dest} exists and force is false`);
  const oldMode = state.exists && state.kind === "file" ? state.mode : undefined;
  const mode = attributes.mode === undefined ? (oldMode ?? "") : resolveModeText(attributes.mode, oldMode ?? src.mode, false);
  // a new file keeps the old one's owner and group unless the task names others
  const owner = attributes.owner ?? (state.exists ? state.owner : "");
  const group = attributes.group ?? (state.exists ? state.group : "");
  const spec = group === "" ? owner : `${owner}:${group}`;
  const validate = args.validate?.replaceAll("%s", '"$1"') ?? "";
  const steps: Step[] = [...(args.backup && state.exists ? [backupStep(dest)] : []), { kind: "run", argv: shScript(REMOTE_COPY, from, dest, mode, validate, spec), describe: `copy ${from} to ${dest} on the host` }];
  return change(withMkdir(steps, target), state.exists ? `content of ${dest} differs from ${from}` : `${dest} does not exist`, [
    { kind: "path", path: dest, after: { exists: true, kind: "file", mode: mode === "" ? undefined : mode, owner: attributes.owner, group: attributes.group } },
  ]);
}

const withMkdir = (steps: Step[], target: ResolvedDest): Step[] => (target.mkdir === undefined ? steps : [target.mkdir, ...steps]);

export const copy = defineModule({
  name: "copy",
  summary: "Copy a controller file, inline content or a file of the host to a path on the host",
  example: ["- name: Install the motd", "  copy:", "    src: motd.txt", "    dest: /etc/motd", '    mode: "0644"'].join("\n"),
  schema,
  facts: (args, ctx) => ({
    ...copyDestFacts({ dest: args.dest, src: args.src, follow: args.follow }, ctx.vars),
    remoteSrc: args.remote_src && args.src !== undefined ? fileStateFact(args.src, { checksum: true }) : undefined,
  }),
  plan: (args, facts, ctx) => {
    const target = resolveDest({ dest: args.dest, src: args.src, follow: args.follow }, facts, args.directory_mode);
    const attributes = { mode: wantedMode(args, facts.remoteSrc, ctx), owner: args.owner, group: args.group };
    if (args.remote_src) return planRemoteCopy(args, target, facts.remoteSrc, attributes);
    const content = args.content !== undefined ? Buffer.from(args.content, "utf8") : ctx.readLocalFile(args.src ?? "");
    return planCopy(args, target, attributes, content);
  },
});

