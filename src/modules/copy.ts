/** copy: puts a controller file or inline content on the host, idempotent by sha256. */
import { posix } from "node:path";
import { z } from "zod";
import { defineModule } from "./types.js";
import { planWantedFile, wantedFileFacts } from "./support/put-file.js";
import { attributeFields, boolish } from "./support/schema.js";

const schema = z
  .strictObject({
    src: z.string().min(1).optional().describe("Controller file to copy (looked up in the role's files/, then the playbook directory)."),
    content: z.string().optional().describe("Inline content to write instead of src."),
    dest: z.string().min(1).describe("Path on the host. Ending in '/' means: into this directory, under src's base name."),
    force: boolish("Replace the file when its content differs; false only creates missing files.").default(true),
    ...attributeFields,
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

/** dest, with "dir/" expanded to "dir/<basename of src>". */
export function copyDestination(dest: string, src: string | undefined): string {
  return dest.endsWith("/") && src !== undefined ? posix.join(dest, posix.basename(src)) : dest;
}

export const copy = defineModule({
  name: "copy",
  summary: "Copy a controller file or inline content to the host",
  example: ["- name: Install the motd", "  copy:", "    src: motd.txt", "    dest: /etc/motd", '    mode: "0644"'].join("\n"),
  schema,
  facts: (args, ctx) => wantedFileFacts(copyDestination(args.dest, args.src), ctx.vars),
  plan: (args, facts, ctx) => {
    const content = args.content !== undefined ? Buffer.from(args.content, "utf8") : ctx.readLocalFile(args.src ?? "");
    const attributes = { mode: args.mode, owner: args.owner, group: args.group };
    return planWantedFile({ dest: copyDestination(args.dest, args.src), content, attributes, force: args.force }, facts);
  },
});
