/** file: a path's kind (file, directory, link, hard link, absent, touched) and its attributes. */
import { z } from "zod";
import { defineModule, type Plan, type Probe, type ProbeResult, type Step } from "./types.js";
import { attributeChanges, attributeSteps } from "./support/attributes.js";
import { fileStateProbe, parseFileState, type FileState, type PresentFile } from "./support/file-state.js";
import { planOrFail } from "./support/probe-error.js";
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

/** With recurse: prints the first path below `path` whose attributes differ, or nothing. */
function recurseProbe(path: string, attributes: Attributes): Probe {
  const tests: string[] = [];
  if (attributes.owner !== undefined) tests.push(/^\d+$/.test(attributes.owner) ? '! -uid "$2"' : '! -user "$2"');
  if (attributes.group !== undefined) tests.push(/^\d+$/.test(attributes.group) ? '! -gid "$3"' : '! -group "$3"');
  if (attributes.mode !== undefined) tests.push(`! -perm "$4"`);
  const script = `find "$1" \\( ${tests.join(" -o ")} \\) -print -quit`;
  return { argv: shScript(script, path, attributes.owner ?? "", attributes.group ?? "", attributes.mode ?? "") };
}

function needsRecurseProbe(args: FileArgs): boolean {
  return args.state === "directory" && args.recurse && (args.mode ?? args.owner ?? args.group) !== undefined;
}

function attributesPlan(path: string, state: PresentFile, args: FileArgs, extra: Step[] = []): Plan {
  const link = state.kind === "link" || args.state === "link";
  const steps = [...extra, ...attributeSteps(path, attributeChanges(attributesOf(args), state), { link })];
  return { steps, msg: steps.length === 0 ? `${path} is as wanted` : `attributes of ${path} differ` };
}

function planDirectory(args: FileArgs, state: FileState, recurse: ProbeResult | undefined): Plan {
  const { path } = args;
  if (state.exists && state.kind !== "directory") {
    return { steps: [], failed: `${path} exists and is not a directory` };
  }
  if (args.recurse && (!state.exists || (recurse !== undefined && recurse.stdout.trim() !== ""))) {
    const create: Step[] = state.exists ? [] : [{ kind: "run", argv: ["mkdir", "-p", "--", path] }];
    return { steps: [...create, ...attributeSteps(path, attributesOf(args), { recurse: true })], msg: `attributes below ${path} differ` };
  }
  if (!state.exists) {
    const steps: Step[] = [{ kind: "run", argv: ["mkdir", "-p", "--", path] }, ...attributeSteps(path, attributesOf(args))];
    return { steps, msg: `${path} does not exist` };
  }
  return attributesPlan(path, state, args);
}

function planLink(args: FileArgs, state: FileState): Plan {
  const { path } = args;
  const src = args.src ?? "";
  if (state.exists && state.kind === "link" && state.linkTarget === src) return attributesPlan(path, state, args);
  if (state.exists && state.kind !== "link" && !args.force) {
    return { steps: [], failed: `${path} exists and is not a link`, msg: "set force: true to replace it by the link" };
  }
  const remove: Step[] = state.exists && state.kind === "directory" ? [{ kind: "run", argv: ["rm", "-rf", "--", path] }] : [];
  const steps: Step[] = [...remove, { kind: "run", argv: ["ln", "-sfn", "--", src, path] }];
  steps.push(...attributeSteps(path, attributesOf(args), { link: true }));
  return { steps, msg: state.exists ? `${path} is not a link to ${src}` : `${path} does not exist` };
}

function planHard(args: FileArgs, state: FileState, srcState: FileState): Plan {
  const { path } = args;
  const src = args.src ?? "";
  if (!srcState.exists) return { steps: [], failed: `hard link source ${src} does not exist` };
  if (state.exists && state.inode === srcState.inode) return attributesPlan(path, state, args);
  if (state.exists && state.kind === "directory") return { steps: [], failed: `${path} is a directory` };
  const steps: Step[] = [{ kind: "run", argv: ["ln", "-f", "--", src, path] }, ...attributeSteps(path, attributesOf(args))];
  return { steps, msg: `${path} is not a hard link to ${src}` };
}

/** Plans one of the six states from the path's state (and src's, or the recurse probe's). */
function planFile(args: FileArgs, results: readonly ProbeResult[]): Plan {
  const [first, second] = results;
  if (first === undefined) throw new Error("missing file state probe result");
  const state = parseFileState(first);
  const { path } = args;
  switch (args.state) {
    case "absent":
      return state.exists ? { steps: [{ kind: "run", argv: ["rm", "-rf", "--", path] }], msg: `${path} exists` } : { steps: [], msg: `${path} is absent` };
    case "directory":
      return planDirectory(args, state, second);
    case "link":
      return planLink(args, state);
    case "hard":
      return planHard(args, state, parseFileState(second ?? { rc: 1, stdout: "", stderr: "missing probe" }));
    case "touch":
      if (state.exists) return attributesPlan(path, state, args);
      return { steps: [{ kind: "run", argv: ["touch", "--", path] }, ...attributeSteps(path, attributesOf(args))], msg: `${path} does not exist` };
    case "file":
      if (!state.exists) return { steps: [], failed: `${path} does not exist`, msg: "use state: touch to create an empty file" };
      return attributesPlan(path, state, args);
  }
}

export const file = defineModule({
  name: "file",
  summary: "Manage a path's kind (file, directory, link, absent) and its owner, group and mode",
  example: ["- name: Data directory", "  file:", "    path: /srv/data", "    state: directory", "    owner: www-data", '    mode: "0750"'].join("\n"),
  schema,
  probe: (args) => {
    const probes = [fileStateProbe(args.path)];
    if (args.state === "hard") probes.push(fileStateProbe(args.src ?? ""));
    if (needsRecurseProbe(args)) probes.push(recurseProbe(args.path, attributesOf(args)));
    return probes;
  },
  plan: (args, results) => planOrFail(() => planFile(args, results)),
});
