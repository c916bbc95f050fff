/** lineinfile: makes sure one line is in a file (or is not), editing the text on the controller. */
import { z } from "zod";
import { defineModule } from "./types.js";
import { editedFileFacts, planEditedFile } from "./support/edit-file.js";
import { editLines } from "./support/lines.js";
import { attributeFields, boolish, pythonRegExp, regexpArg, validateArg } from "./support/schema.js";

const schema = z
  .strictObject({
    path: z.string().min(1).optional().describe("The file to edit (aliases: dest, name)."),
    dest: z.string().min(1).optional().describe("Alias of path."),
    name: z.string().min(1).optional().describe("Alias of path."),
    line: z.string().optional().describe("The line to have in the file (required with state present)."),
    regexp: regexpArg("Regular expression of the line to replace (present) or remove (absent); the last match wins.").optional(),
    search_string: z.string().optional().describe("A literal string in the line to replace (present) or remove (absent), instead of regexp."),
    state: z.enum(["present", "absent"]).default("present").describe("Whether the line must be there."),
    insertafter: regexpArg("Where a new line goes: after the last line matching this, or EOF.").optional(),
    insertbefore: regexpArg("Where a new line goes: before the last line matching this, or BOF.").optional(),
    firstmatch: boolish("Use the first line matching insertafter/insertbefore/regexp instead of the last.").default(false),
    create: boolish("Create the file when it is missing.").default(false),
    backrefs: boolish("Expand \\1 and \\g<name> in line from regexp's match; without a match nothing changes.").default(false),
    backup: boolish("Keep a copy of the file as it was (PATH.PID.DATE@TIME~) before changing it.").default(false),
    validate: validateArg.optional(),
    ...attributeFields,
  })
  .superRefine((args, ctx) => {
    if (args.path === undefined && args.dest === undefined && args.name === undefined) {
      ctx.addIssue({ code: "custom", path: ["path"], message: "missing required argument 'path'" });
    }
    if (args.state === "present" && args.line === undefined) {
      ctx.addIssue({ code: "custom", path: ["line"], message: "state present needs 'line'" });
    }
    if (args.state === "absent" && args.line === undefined && args.regexp === undefined && args.search_string === undefined) {
      ctx.addIssue({ code: "custom", path: ["regexp"], message: "state absent needs 'regexp', 'search_string' or 'line'" });
    }
    if (args.regexp !== undefined && args.search_string !== undefined) {
      ctx.addIssue({ code: "custom", path: ["search_string"], message: "give only one of 'regexp' or 'search_string'" });
    }
    if (args.insertafter !== undefined && args.insertbefore !== undefined) {
      ctx.addIssue({ code: "custom", path: ["insertbefore"], message: "give only one of 'insertafter' or 'insertbefore'" });
    }
    if (args.backrefs && args.regexp === undefined) {
      ctx.addIssue({ code: "custom", path: ["backrefs"], message: "backrefs needs 'regexp'" });
    }
  })
  .transform((args) => ({ ...args, path: args.path ?? args.dest ?? args.name ?? "" }));

export const lineinfile = defineModule({
  name: "lineinfile",
  summary: "Make sure a line is present in (or absent from) a text file",
  example: [
    "- name: No root login over ssh",
    "  lineinfile:",
    "    path: /etc/ssh/sshd_config",
    "    regexp: '^#?PermitRootLogin'",
    "    line: PermitRootLogin no",
  ].join("\n"),
  schema,
  facts: (args) => editedFileFacts(args.path, { create: args.create }),
  plan: (args, facts) => {
    const regexp = args.regexp !== undefined ? pythonRegExp(args.regexp) : undefined;
    const edit = (text: string): string =>
      editLines(text, {
        line: args.line,
        regexp,
        searchString: args.search_string,
        state: args.state,
        insertafter: args.insertafter,
        insertbefore: args.insertbefore,
        backrefs: args.backrefs,
        firstmatch: args.firstmatch,
      });
    return planEditedFile(
      {
        path: args.path,
        edit,
        create: args.create,
        missingOk: args.state === "absent",
        backup: args.backup,
        validate: args.validate,
        attributes: { mode: args.mode, owner: args.owner, group: args.group },
      },
      facts,
    );
  },
});
