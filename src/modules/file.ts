/** file: a path's kind (file, directory, link, hard link, absent, touched) and its attributes. */
import { z } from "zod";
import { defineModule, type Effect, type Fact, type PathAfter, type Plan, type Step } from "./types.js";
import { attributeChanges, attributeSteps } from "./support/attributes.js";
import { fileStateFact, type FileState, type PresentFile } from "./support/file-state.js";
import { change, fail, ok } from "./support/plan.js";
import { attributeFields, boolish, type Attributes } from "./support/schema.js";
import { shScript } from "../transport/quote.js";

const STATES = ["file", "directory", "link", "hard", "absent", "touch"] as const;
type FileStateName = (typeof STATES)[number];

const schema = z
  .strictObject({
    path: z.string().min(1).optional().describe("Path on the host (aliases: dest, name)."),
    dest: z.string().min(1).optional().describe("Alias of path."),
    name: z.string().min(1).optional().describe("Alias of path."),
    state: z
      .enum(STATES)
      .optional()
      .describe(
        "file: must exist (attributes only); directory: created with parents; link/hard: a symbolic/hard link to src; absent: removed (recursively); touch: created empty when missing. Default: link when src is given, else file.",
      ),
    src: z.string().min(1).optional().describe("Target of the link (state link or hard)."),
    recurse: boolish("With state directory: apply owner/group/mode to everything below too.").default(false),
    force: boolish("With state link: replace an existing file or directory at path by the link.").default(false),
    ...attributeFields,
  })
  .superRefine((args, ctx) => {
    if (args.path === undefined && args.dest === undefined && args.name === undefined) {
      ctx.addIssue({ code: "custom", path: ["path"], message: "missing required argument 'path'" });
    }
    const state = args.state ?? (args.src !== undefined ? "link" : "file");
    if (args.recurse && state !== "directory") {
      ctx.addIssue({ code: "custom", path: ["recurse"], message: "recurse needs state: directory" });
    }
    if ((state === "link" || state === "hard") && args.src === undefined) {
      ctx.addIssue({ code: "custom", path: ["src"], message: `state ${state} needs 'src', the link target` });
    }
  })
  .transform((args) => ({
    ...args,
    path: args.path ?? args.dest ?? args.name ?? "",
    state: (args.state ?? (args.src !== undefined ? "link" : "file")) as FileStateName,
  }));

type FileArgs = z.output<typeof schema>;

const attributesOf = (args: FileArgs): Attributes => ({ mode: args.mode, owner: args.owner, group: args.group });

/** With recurse: whether any path below `path` has attributes that differ (find prints the first). */
function recurseFact(path: string, attributes: Attributes): Fact<boolean> {
  const tests: string[] = [];
  if (attributes.owner !== undefined) tests.push(/^\d+$/.test(attributes.owner) ? '! -uid "$2"' : '! -user "$2"');
  if (attributes.group !== undefined) tests.push(/^\d+$/.test(attributes.group) ? '! -gid "$3"' : '! -group "$3"');
  if (attributes.mode !== undefined) tests.push(`! -perm "$4"`);
  const script = `find "$1" \\( ${tests.join(" -o ")} \\) -print -quit`;
  return {
    argv: shScript(script, path, attributes.owner ?? "", attributes.group ?? "", attributes.mode ?? ""),
    parse: (result) => result.stdout.trim() !== "",
  };
}

function needsRecurseFact(args: FileArgs): boolean {
  return args.state === "directory" && args.recurse && (args.mode ?? args.owner ?? args.group) !== undefined;
}

/** What the path will be once the steps ran, for check mode. */
function after(args: FileArgs, kind: "file" | "directory" | "link", extra: Partial<Extract<PathAfter, { exists: true }>> = {}): Effect[] {
  return [{ kind: "path", path: args.path, after: { exists: true, kind, mode: args.mode, owner: args.owner, group: args.group, ...extra } }];
}

function attributesPlan(path: string, state: PresentFile, args: FileArgs, extra: Step[] = []): Plan {
  const link = state.kind === "link" || args.state === "link";
  const steps = [...extra, ...attributeSteps(path, attributeChanges(attributesOf(args), state), { link })];
  if (steps.length === 0) return ok(`${path} is as wanted`);
  const kind = state.kind === "other" ? "file" : state.kind;
  // the content stays as it is, and check mode does not know it: a later checksum is unknown
  return change(steps, `attributes of ${path} differ`, after(args, kind, { linkTarget: state.linkTarget, mode: args.mode ?? state.mode, owner: args.owner ?? state.owner, group: args.group ?? state.group }));
}

function planDirectory(args: FileArgs, state: FileState, recurseDiffers: boolean | undefined): Plan {
  const { path } = args;
  if (state.exists && state.kind !== "directory") return fail(`${path} exists and is not a directory`);
  if (args.recurse && (!state.exists || recurseDiffers === true)) {
    const create: Step[] = state.exists ? [] : [{ kind: "run", argv: ["mkdir", "-p", "--", path] }];
    return change([...create, ...attributeSteps(path, attributesOf(args), { recurse: true })], `attributes below ${path} differ`, after(args, "directory"));
  }
  if (!state.exists) {
    const steps: Step[] = [{ kind: "run", argv: ["mkdir", "-p", "--", path] }, ...attributeSteps(path, attributesOf(args))];
    return change(steps, `${path} does not exist`, after(args, "directory"));
  }
  return attributesPlan(path, state, args);
}

function planLink(args: FileArgs, state: FileState): Plan {
  const { path } = args;
  const src = args.src ?? "";
  if (state.exists && state.kind === "link" && state.linkTarget === src) return attributesPlan(path, state, args);
  if (state.exists && state.kind !== "link" && !args.force) return fail(`${path} exists and is not a link`, "set force: true to replace it by the link");
  const remove: Step[] = state.exists && state.kind === "directory" ? [{ kind: "run", argv: ["rm", "-rf", "--", path] }] : [];
  const steps: Step[] = [...remove, { kind: "run", argv: ["ln", "-sfn", "--", src, path] }];
  steps.push(...attributeSteps(path, attributesOf(args), { link: true }));
  return change(steps, state.exists ? `${path} is not a link to ${src}` : `${path} does not exist`, after(args, "link", { linkTarget: src, mode: undefined }));
}

function planHard(args: FileArgs, state: FileState, srcState: FileState | undefined): Plan {
  const { path } = args;
  const src = args.src ?? "";
  if (srcState === undefined || !srcState.exists) return fail(`hard link source ${src} does not exist`);
  if (state.exists && state.inode === srcState.inode) return attributesPlan(path, state, args);
  if (state.exists && state.kind === "directory") return fail(`${path} is a directory`);
  const steps: Step[] = [{ kind: "run", argv: ["ln", "-f", "--", src, path] }, ...attributeSteps(path, attributesOf(args))];
  // a hard link is the source's content under another name: check mode does not know it
  return change(steps, `${path} is not a hard link to ${src}`, after(args, "file"));
}

/** Plans one of the six states from the path's state (and src's, or the recurse fact). */
function planFile(args: FileArgs, facts: FileFacts): Plan {
  const { state } = facts;
  const { path } = args;
  switch (args.state) {
    case "absent":
      if (!state.exists) return ok(`${path} is absent`);
      return change([{ kind: "run", argv: ["rm", "-rf", "--", path] }], `${path} exists`, [{ kind: "path", path, after: { exists: false } }]);
    case "directory":
      return planDirectory(args, state, facts.recurse);
    case "link":
      return planLink(args, state);
    case "hard":
      return planHard(args, state, facts.src);
    case "touch":
      if (state.exists) return attributesPlan(path, state, args);
      return change([{ kind: "run", argv: ["touch", "--", path] }, ...attributeSteps(path, attributesOf(args))], `${path} does not exist`, after(args, "file", { content: Buffer.alloc(0) }));
    case "file":
      if (!state.exists) return fail(`${path} does not exist`, "use state: touch to create an empty file");
      return attributesPlan(path, state, args);
  }
}

interface FileFacts {
  readonly state: FileState;
  readonly src?: FileState | undefined;
  readonly recurse?: boolean | undefined;
}

export const file = defineModule({
  name: "file",
  summary: "Manage a path's kind (file, directory, link, absent) and its owner, group and mode",
  example: ["- name: Data directory", "  file:", "    path: /srv/data", "    state: directory", "    owner: www-data", '    mode: "0750"'].join("\n"),
  schema,
  facts: (args) => ({
    state: fileStateFact(args.path),
    src: args.state === "hard" ? fileStateFact(args.src ?? "") : undefined,
    recurse: needsRecurseFact(args) ? recurseFact(args.path, attributesOf(args)) : undefined,
  }),
  plan: (args, facts) => planFile(args, facts),
});
