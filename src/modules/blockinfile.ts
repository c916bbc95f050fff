/** blockinfile: a block of lines between marker lines, inserted, updated or removed. */
import { z } from "zod";
import { defineModule } from "./types.js";
import { editBlock } from "./support/block.js";
import { editedFileFacts, planEditedFile } from "./support/edit-file.js";
import { attributeFields, boolish, regexpArg, validateArg } from "./support/schema.js";

const schema = z
  .strictObject({
    path: z.string().min(1).optional().describe("The file to edit (aliases: dest, name)."),
    dest: z.string().min(1).optional().describe("Alias of path."),
    name: z.string().min(1).optional().describe("Alias of path."),
    block: z.string().optional().describe("The lines to have between the markers; empty removes the block (alias: content)."),
    content: z.string().optional().describe("Alias of block."),
    marker: z
      .string()
      .refine((value) => value.includes("{mark}"), "the marker must contain '{mark}'")
      .default("# {mark} ANSIBLE MANAGED BLOCK")
      .describe("Marker line template; {mark} becomes marker_begin or marker_end."),
    marker_begin: z.string().default("BEGIN").describe("Replaces {mark} in the opening marker."),
    marker_end: z.string().default("END").describe("Replaces {mark} in the closing marker."),
    state: z.enum(["present", "absent"]).default("present").describe("Whether the block must be there."),
    insertafter: regexpArg("Where a new block goes: after the last line matching this regexp, or EOF.").optional(),
    insertbefore: regexpArg("Where a new block goes: before the last line matching this regexp, or BOF.").optional(),
    create: boolish("Create the file (and its missing directories) when it is missing.").default(false),
    backup: boolish("Keep a copy of the file as it was (PATH.PID.DATE@TIME~) before changing it.").default(false),
    validate: validateArg.optional(),
    ...attributeFields,
  })
  .superRefine((args, ctx) => {
    if (args.path === undefined && args.dest === undefined && args.name === undefined) {
      ctx.addIssue({ code: "custom", path: ["path"], message: "missing required argument 'path'" });
    }
    if (args.block !== undefined && args.content !== undefined) {
      ctx.addIssue({ code: "custom", path: ["content"], message: "give only one of 'block' or its alias 'content'" });
    }
    if (args.insertafter !== undefined && args.insertbefore !== undefined) {
      ctx.addIssue({ code: "custom", path: ["insertbefore"], message: "give only one of 'insertafter' or 'insertbefore'" });
    }
  })
  .transform((args) => ({ ...args, path: args.path ?? args.dest ?? args.name ?? "", block: args.block ?? args.content ?? "" }));

export const blockinfile = defineModule({
  name: "blockinfile",
  summary: "Insert, update or remove a block of lines between marker lines",
  example: [
    "- name: Static hosts",
    "  blockinfile:",
    "    path: /etc/hosts",
    "    block: |",
    "      10.0.0.10 db1",
    "      10.0.0.11 db2",
  ].join("\n"),
  schema,
  facts: (args) => editedFileFacts(args.path, { create: args.create }),
  plan: (args, facts) => {
    const edit = (text: string): string =>
      editBlock(text, {
        block: args.block,
        beginMarker: args.marker.replaceAll("{mark}", args.marker_begin),
        endMarker: args.marker.replaceAll("{mark}", args.marker_end),
        state: args.state,
        insertafter: args.insertafter,
        insertbefore: args.insertbefore,
      });
    return planEditedFile(
      {
        path: args.path,
        edit,
        create: args.create,
        // Ansible's blockinfile fails on a missing file without create, in either state
        missingOk: false,
        backup: args.backup,
        validate: args.validate,
        attributes: { mode: args.mode, owner: args.owner, group: args.group },
      },
      facts,
    );
  },
});
