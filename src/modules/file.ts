/** file: a path's kind (file, directory, link, hard link, absent, touched), its attributes and times. */
import { posix } from "node:path";
import { z } from "zod";
import { defineModule, type Effect, type Fact, type PathAfter, type Plan, type Step } from "./types.js";
import { attributeChanges, attributeSteps, missingAccountsFact } from "./support/attributes.js";
import { fileStateFact, type FileState, type PresentFile } from "./support/file-state.js";
import { timeSpec, timeSteps, timesFact, type TimeSpec } from "./support/file-times.js";
import { isSymbolicMode, resolveMode } from "./support/mode.js";
import { mkdirsStep } from "./support/mkdirs.js";
import { change, fail, ok } from "./support/plan.js";
import { attributeFields, boolish, type Attributes } from "./support/schema.js";
import { shScript } from "../transport/quote.js";

const STATES = ["file", "directory", "link", "hard", "absent", "touch"] as const;
const TIME_FORMAT = "%Y%m%d%H%M.%S";

const timeArg = (what: string) =>
  z.string().min(1).optional().describe(`${what}: "preserve", "now" or a time in ${what.toLowerCase().replace(" ", "_")}_format. Default: now for touch, else preserve.`);

const schema = z
  .strictObject({
    path: z.string().min(1).optional().describe("Path on the host (aliases: dest, name)."),
    dest: z.string().min(1).optional().describe("Alias of path."),
    name: z.string().min(1).optional().describe("Alias of path."),
    state: z
      .enum(STATES)
      .optional()
      .describe(
        "file: must exist (attributes only); directory: created with its parents (each gets the attributes); link/hard: a symbolic/hard link to src; absent: removed (recursively); touch: created empty when missing, its times updated. Default: the path's current kind, else file.",
      ),
    src: z.string().min(1).optional().describe("Target of the link (state link or hard); a relative one is relative to the link's directory."),
    recurse: boolish("With state directory: apply owner/group/mode to everything below too.").default(false),
    force: boolish("With state link/hard: replace an existing file (or empty directory) at path, or link to a missing src.").default(false),
    follow: boolish("Through a symbolic link at path, change its target's attributes.").default(true),
    access_time: timeArg("Access time"),
    modification_time: timeArg("Modification time"),
    access_time_format: z.string().default(TIME_FORMAT).describe("Python strftime format of access_time."),
    modification_time_format: z.string().default(TIME_FORMAT).describe("Python strftime format of modification_time."),
    ...attributeFields,
  })
  .superRefine((args, ctx) => {
    if (args.path === undefined && args.dest === undefined && args.name === undefined) {
      ctx.addIssue({ code: "custom", path: ["path"], message: "missing required argument 'path'" });
    }
    if (args.recurse && args.state !== undefined && args.state !== "directory") {
      ctx.addIssue({ code: "custom", path: ["recurse"], message: "recurse needs state: directory" });
    }
    if ((args.state === "link" || args.state === "hard") && args.src === undefined) {
      ctx.addIssue({ code: "custom", path: ["src"], message: `state ${args.state} needs 'src', the link target` });
    }
    for (const which of ["access_time", "modification_time"] as const) {
      const value = args[which];
      if (value !== undefined && timeSpec(value, args[`${which}_format`], "now") === undefined) {
        ctx.addIssue({ code: "custom", path: [which], message: `expected "preserve", "now" or a time in the format ${args[`${which}_format`]}` });
      }
    }
  })
  .transform((args) => {
    const touch = args.state === "touch";
    return {
      ...args,
      path: args.path ?? args.dest ?? args.name ?? "",
      // Ansible's default state is what the path is now (planFile), a new directory only with recurse
      state: args.state ?? (args.recurse ? "directory" : undefined),
      atime: timeSpec(args.access_time, args.access_time_format, touch ? "now" : "preserve") ?? { kind: "preserve" },
      mtime: timeSpec(args.modification_time, args.modification_time_format, touch ? "now" : "preserve") ?? { kind: "preserve" },
    };
  });

type FileArgs = z.output<typeof schema>;

const attributesOf = (args: FileArgs): Attributes => ({ mode: args.mode, owner: args.owner, group: args.group });
const hasAttributes = (args: FileArgs): boolean => (args.mode ?? args.owner ?? args.group) !== undefined;

/** src as the link will resolve it: relative to the link's directory. */
const absoluteSrc = (args: FileArgs): string => posix.resolve(posix.dirname(args.path), args.src ?? "");

/** Whether the path's own state is read through a link at it (attributes go to the target). */
function followsPath(args: FileArgs): boolean {
  return args.follow && args.state !== "link" && args.state !== "hard" && args.state !== "absent";
}

/** With recurse: whether any path below `path` has attributes that differ (find prints the first). */
function recurseFact(path: string, attributes: Attributes): Fact<boolean> {
  const tests: string[] = [];
  if (attributes.owner !== undefined) tests.push(/^\d+$/.test(attributes.owner) ? '! -uid "$2"' : '! -user "$2"');
  if (attributes.group !== undefined) tests.push(/^\d+$/.test(attributes.group) ? '! -gid "$3"' : '! -group "$3"');
  const symbolic = attributes.mode !== undefined && isSymbolicMode(attributes.mode);
  if (attributes.mode !== undefined && !symbolic) tests.push(`! -perm "$4"`);
  // a symbolic mode gives each path its own mode (X): list them all and compare here
  const listing = symbolic ? `find "$1" -printf '%y %m\\n'` : "";
  const first = tests.length === 0 ? "" : `find "$1" \\( ${tests.join(" -o ")} \\) -printf 'differs\\n' -quit`;
  return {
    argv: shScript([first, listing].filter((line) => line !== "").join("\n"), path, attributes.owner ?? "", attributes.group ?? "", attributes.mode ?? ""),
    parse: (result) => result.stdout.split("\n").some((line) => line === "differs" || (symbolic && modeDiffers(line, attributes.mode ?? ""))),
  };
}

function modeDiffers(line: string, spec: string): boolean {
  const [type, mode] = line.split(" ");
  if (type === undefined || mode === undefined || type === "l") return false;
  const current = parseInt(mode, 8);
  return resolveMode(spec, current, type === "d") !== current;
}

/** What the path will be once the steps ran, for check mode. */
function after(path: string, args: FileArgs, kind: "file" | "directory" | "link", extra: Partial<Extract<PathAfter, { exists: true }>> = {}): Effect[] {
  const mode = args.mode !== undefined && isSymbolicMode(args.mode) ? undefined : args.mode;
  return [{ kind: "path", path, after: { exists: true, kind, mode, owner: args.owner, group: args.group, ...extra } }];
}

/** The attribute (and time) steps for an existing path, `extra` first; ok when there are none. */
function attributesPlan(path: string, state: PresentFile, args: FileArgs, extra: Step[] = []): Plan {
  const link = state.kind === "link";
  const steps = [...extra, ...attributeSteps(path, attributeChanges(attributesOf(args), state), { link })];
  if (steps.length === 0) return ok(`${path} is as wanted`);
  const kind = state.kind === "other" ? "file" : state.kind;
  const changes = attributeChanges(attributesOf(args), state);
  // the content stays as it is, and check mode does not know it: a later checksum is unknown
  return change(steps, `attributes of ${path} differ`, after(path, args, kind, { linkTarget: state.linkTarget, mode: changes.mode ?? state.mode, owner: args.owner ?? state.owner, group: args.group ?? state.group }));
}

function planDirectory(args: FileArgs, state: FileState, recurseDiffers: boolean | undefined, timesMatch: boolean | undefined): Plan {
  const path = state.realPath ?? args.path;
  if (state.exists && state.kind !== "directory") return fail(`${path} exists and is not a directory`);
  if (!state.exists) {
    const recurse = args.recurse && hasAttributes(args) ? attributeSteps(path, attributesOf(args), { recurse: true }) : [];
    return change([mkdirsStep(path, attributesOf(args)), ...recurse], `${path} does not exist`, after(path, args, "directory"));
  }
  if (args.recurse && recurseDiffers === true) {
    return change(attributeSteps(path, attributesOf(args), { recurse: true }), `attributes below ${path} differ`, after(path, args, "directory"));
  }
  return attributesPlan(path, state, args, timesToSet(path, args, timesMatch));
}

/** Attributes of a link: with follow they are its target's (chown follows), else the link's own (-h, no mode). */
function linkAttributeSteps(args: FileArgs, target: FileState | undefined): Step[] {
  if (!args.follow) return attributeSteps(args.path, attributesOf(args), { link: true });
  if (target === undefined || !target.exists) return target === undefined ? attributeSteps(args.path, attributesOf(args)) : [];
  return attributeSteps(args.path, attributeChanges(attributesOf(args), target));
}

function planLink(args: FileArgs, facts: FileFacts): Plan {
  const { path } = args;
  const { state } = facts;
  const src = args.src ?? "";
  if (state.exists && state.kind === "link" && state.linkTarget === src) {
    const steps = linkAttributeSteps(args, facts.target);
    return steps.length === 0 ? ok(`${path} is as wanted`) : change(steps, `attributes of ${path} differ`, undefined);
  }
  if (facts.src?.exists === false && !args.force) {
    return fail(`src file does not exist, use "force=yes" if you really want to create the link: ${absoluteSrc(args)}`);
  }
  if (state.exists && state.kind !== "link" && !args.force) return fail(`${path} exists and is not a link`, "set force: true to replace it by the link");
  // a directory with files in it is refused, as Ansible does (no data loss); rmdir refuses it too
  if (state.exists && state.kind === "directory" && facts.dirHasEntries === true) return fail(`the directory ${path} is not empty, refusing to convert it`);
  const remove: Step[] = state.exists && state.kind === "directory" ? [{ kind: "run", argv: ["rmdir", "--", path] }] : [];
  const steps: Step[] = [...remove, { kind: "run", argv: ["ln", "-sfn", "--", src, path] }];
  steps.push(...(hasAttributes(args) ? linkAttributeSteps(args, undefined) : []));
  return change(steps, state.exists ? `${path} is not a link to ${src}` : `${path} does not exist`, after(path, args, "link", { linkTarget: src, mode: undefined, owner: undefined, group: undefined }));
}

function planHard(args: FileArgs, state: FileState, srcState: FileState | undefined): Plan {
  const { path } = args;
  const src = args.src ?? "";
  if (srcState === undefined || !srcState.exists) return fail(`hard link source ${src} does not exist`);
  if (posix.resolve(path) === posix.resolve(src)) return fail(`${path} cannot be a hard link to itself`);
  if (state.exists && state.inode === srcState.inode) return attributesPlan(path, state, args);
  if (state.exists && state.kind === "directory") return fail(`${path} is a directory`);
  if (state.exists && !args.force) return fail(`${path} exists and is not a hard link to ${src}`, "set force: true to replace it");
  const steps: Step[] = [{ kind: "run", argv: ["ln", "-f", "--", src, path] }, ...attributeSteps(path, attributesOf(args))];
  // a hard link is the source's content under another name: check mode does not know it
  return change(steps, `${path} is not a hard link to ${src}`, after(path, args, "file"));
}

/** touch: create the file or update its times (changed on every run unless both are preserved), then the attributes. */
function planTouch(args: FileArgs, facts: FileFacts): Plan {
  const { state } = facts;
  const path = state.realPath ?? args.path;
  if (!state.exists) {
    const steps = [{ kind: "run", argv: ["touch", "--", path] } as Step, ...timeSteps(path, withoutNow(args.atime), withoutNow(args.mtime)), ...attributeSteps(path, attributesOf(args))];
    return change(steps, `${path} does not exist`, after(path, args, "file", { content: Buffer.alloc(0) }));
  }
  return attributesPlan(path, state, args, timesToSet(path, args, facts.timesMatch));
}

const withoutNow = (spec: TimeSpec): TimeSpec => (spec.kind === "now" ? { kind: "preserve" } : spec);

/** Time steps for an existing path: "now" always; explicit times unless the path has them. */
function timesToSet(path: string, args: FileArgs, timesMatch: boolean | undefined): Step[] {
  const now = args.atime.kind === "now" || args.mtime.kind === "now";
  if (!now && timesMatch !== false) return [];
  return timeSteps(path, args.atime, args.mtime);
}

/** Plans one of the six states, or, with none given, keeps the path what it is (file when missing). */
function planFile(args: FileArgs, facts: FileFacts): Plan {
  const { state } = facts;
  const { path } = args;
  const missing = facts.missingAccounts ?? [];
  if (missing.length > 0) return fail(`chown failed: failed to look up ${missing.join(" and ")}`);
  switch (args.state) {
    case "absent":
      if (!state.exists) return ok(`${path} is absent`);
      return change([{ kind: "run", argv: ["rm", "-rf", "--", path] }], `${path} exists`, [{ kind: "path", path, after: { exists: false } }]);
    case "directory":
      return planDirectory(args, state, facts.recurse, facts.timesMatch);
    case "link":
      return planLink(args, facts);
    case "hard":
      return planHard(args, state, facts.src);
    case "touch":
      return planTouch(args, facts);
    case "file":
    case undefined:
      if (!state.exists) return fail(`${path} does not exist`, "use state: touch to create an empty file");
      if (args.state === "file" && state.kind === "directory") return fail(`file (${path}) is directory, cannot continue`);
      return attributesPlan(state.realPath ?? path, state, args, timesToSet(path, args, facts.timesMatch));
  }
}

interface FileFacts {
  readonly state: FileState;
  readonly src?: FileState | undefined;
  readonly target?: FileState | undefined;
  readonly recurse?: boolean | undefined;
  readonly missingAccounts?: string[] | undefined;
  readonly timesMatch?: boolean | undefined;
  readonly dirHasEntries?: boolean | undefined;
}

/** Whether `path` is a directory with something in it (a link may replace only an empty one). */
function dirHasEntriesFact(path: string): Fact<boolean> {
  return { argv: shScript('[ -d "$1" ] && [ ! -L "$1" ] && ls -A -- "$1" | head -n 1', path), parse: (result) => result.stdout.trim() !== "" };
}

const needsRecurseFact = (args: FileArgs): boolean => args.state === "directory" && args.recurse && hasAttributes(args);

export const file = defineModule({
  name: "file",
  summary: "Manage a path's kind (file, directory, link, absent) and its owner, group, mode and times",
  example: ["- name: Data directory", "  file:", "    path: /srv/data", "    state: directory", "    owner: www-data", '    mode: "0750"'].join("\n"),
  schema,
  facts: (args) => ({
    state: fileStateFact(args.path, { follow: followsPath(args) }),
    src: args.state === "hard" ? fileStateFact(args.src ?? "") : args.state === "link" ? fileStateFact(absoluteSrc(args)) : undefined,
    target: args.state === "link" && args.follow && hasAttributes(args) ? fileStateFact(args.path, { follow: true }) : undefined,
    recurse: needsRecurseFact(args) ? recurseFact(args.path, attributesOf(args)) : undefined,
    missingAccounts: missingAccountsFact(attributesOf(args)),
    timesMatch: timesFact(args.path, args.atime, args.mtime),
    dirHasEntries: args.state === "link" && args.force ? dirHasEntriesFact(args.path) : undefined,
  }),
  plan: (args, facts) => planFile(args, facts),
});
