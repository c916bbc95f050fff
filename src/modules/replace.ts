/** replace: every match of a Python regular expression in a file replaced, as Ansible's re.subn does. */
import { z } from "zod";
import { defineModule, type Plan } from "./types.js";
import { editedFileFacts, planEditedFile } from "./support/edit-file.js";
import { fail, ok } from "./support/plan.js";
import { parseTemplate, pythonPattern, pythonSub } from "./support/python-re.js";
import { withBackup, withValidate } from "./support/safe-write.js";
import { attributeFields, boolish } from "./support/schema.js";

/** A string that must compile as a Python pattern with `flags`. */
function patternArg(description: string, flags: string) {
  return z.string().superRefine((value, ctx) => {
    try {
      pythonPattern(value, flags);
    } catch (error) {
      ctx.addIssue({ code: "custom", message: `expected a valid regular expression: ${(error as Error).message}` });
    }
  }).describe(description);
}

const schema = z
  .strictObject({
    path: z.string().min(1).optional().describe("The file to edit (aliases: dest, destfile, name)."),
    dest: z.string().min(1).optional().describe("Alias of path."),
    destfile: z.string().min(1).optional().describe("Alias of path."),
    name: z.string().min(1).optional().describe("Alias of path."),
    regexp: patternArg("Python regular expression, multiline (^ and $ match at every line); every match is replaced.", "m"),
    replace: z
      .string()
      .default("")
      .refine((value) => { try { parseTemplate(value); return true; } catch { return false; } }, "bad escape in the replacement (Python's re.sub)")
      .describe("The replacement: \\1 and \\g<name> insert groups; empty removes the matches."),
    after: patternArg("Only replace after the first match of this (DOTALL) expression.", "s").optional(),
    before: patternArg("Only replace before the first match of this (DOTALL) expression.", "s").optional(),
    backup: boolish("Copy the old file to FILE.NUMBER.DATE@TIME~ before changing it.").default(false),
    validate: z.string().optional().describe("Command that checks the new content before it replaces the file; %s is the temp file."),
    encoding: z.enum(["utf-8", "utf8", "UTF-8"]).optional().describe("The file's encoding; only UTF-8."),
    ...attributeFields,
  })
  .superRefine((args, ctx) => {
    if ((args.path ?? args.dest ?? args.destfile ?? args.name) === undefined) {
      ctx.addIssue({ code: "custom", path: ["path"], message: "missing required argument 'path'" });
    }
  })
  .transform((args) => ({ ...args, path: args.path ?? args.dest ?? args.destfile ?? args.name ?? "" }));

type ReplaceArgs = z.output<typeof schema>;

export type Replaced = { readonly kind: "no-section"; readonly pattern: string } | { readonly kind: "replaced"; readonly text: string; readonly count: number };

/** The section between after and before (the first DOTALL match), as Ansible's replace builds it. */
function sectionPattern(args: Pick<ReplaceArgs, "after" | "before">): string | undefined {
  const { after, before } = args;
  if (after && before) return `${after}(?P<subsection>.*?)${before}`;
  if (after) return `${after}(?P<subsection>.*)`;
  if (before) return `(?P<subsection>.*)${before}`;
  return undefined;
}

/** The pure edit: the text with every match in the section replaced. */
export function replaceText(text: string, args: Pick<ReplaceArgs, "regexp" | "replace" | "after" | "before">): Replaced {
  const regexp = pythonPattern(args.regexp, "m");
  const pattern = sectionPattern(args);
  if (pattern === undefined) return { kind: "replaced", ...pythonSub(regexp, args.replace, text) };
  const match = pythonPattern(pattern, "sd").exec(text);
  const indices = match?.indices?.groups?.["subsection"];
  if (indices === undefined) return { kind: "no-section", pattern };
  const [start, end] = indices;
  const done = pythonSub(regexp, args.replace, text.slice(start, end));
  return { kind: "replaced", text: text.slice(0, start) + done.text + text.slice(end), count: done.count };
}

/** Ansible's result message: the replacements, the attributes, both, or nothing. */
function message(count: number, plan: Plan): string {
  const wrote = plan.kind === "change" && plan.steps.some((step) => step.kind === "put");
  const contentPart = wrote ? `${count} replacements made` : "";
  if (plan.kind !== "change") return contentPart;
  const attributes = plan.steps.some((step) => step.kind === "run" && ["chmod", "chown", "chgrp"].includes(step.argv[0] ?? ""));
  if (!attributes || wrote) return contentPart;
  return "ownership, perms or SE linux context changed";
}

export const replace = defineModule({
  name: "replace",
  summary: "Replace every match of a regular expression in a file",
  example: [
    "- name: Point the mirrors at the local cache",
    "  replace:",
    "    path: /etc/apt/sources.list",
    "    regexp: '^deb http://deb.debian.org'",
    "    replace: 'deb http://cache.local'",
  ].join("\n"),
  schema,
  facts: (args) => editedFileFacts(args.path),
  plan: (args, facts) => {
    const { state, content } = facts;
    if (state.exists && state.kind === "directory") return fail(`Path ${args.path} is a directory !`);
    if (!state.exists) return fail(`Path ${args.path} does not exist !`);
    const current = content.read ? content.text : "";
    const result = replaceText(current, args);
    if (result.kind === "no-section") return ok(`Pattern for before/after params did not match the given file: ${result.pattern}`);
    const attributes = { mode: args.mode, owner: args.owner, group: args.group };
    const planned = planEditedFile({ path: args.path, edit: () => (result.count > 0 ? result.text : current), create: false, attributes }, facts);
    if (planned.kind === "fail") return planned;
    const dest = state.realPath ?? args.path;
    const safe = withValidate(withBackup(planned, dest, Buffer.from(current, "utf8"), args.backup, args.path), dest, args.validate);
    return safe.kind === "fail" ? safe : { ...safe, msg: message(result.count, safe) };
  },
});
