/** slurp: a host file's content, base64-encoded, into a registered variable; never changes anything. */
import { z } from "zod";
import { defineModule } from "./types.js";
import { fileBytesFact } from "./support/file-bytes.js";
import { fail, ok } from "./support/plan.js";

const schema = z
  .strictObject({
    src: z.string().min(1).optional().describe("The file on the host to read (alias: path)."),
    path: z.string().min(1).optional().describe("Alias of src."),
  })
  .superRefine((args, ctx) => {
    if (args.src === undefined && args.path === undefined) ctx.addIssue({ code: "custom", path: ["src"], message: "missing required argument 'src'" });
  })
  .transform((args) => ({ src: args.src ?? args.path ?? "" }));

const FAILURES = {
  absent: "file not found",
  directory: "source is a directory and must be a file",
  unreadable: "file is not readable",
} as const;

export const slurp = defineModule({
  name: "slurp",
  summary: "Read a file from the host into a registered variable (base64 content)",
  example: ["- name: Read the join token", "  slurp:", "    src: /etc/kubernetes/token", "  register: token", "# token.content | b64decode"].join("\n"),
  schema,
  readsOnly: true,
  facts: (args) => ({ file: fileBytesFact(args.src) }),
  plan: (args, facts) => {
    const { file } = facts;
    if (file.kind !== "file") return fail(`${FAILURES[file.kind]}: ${args.src}`);
    return ok(undefined, { data: { content: file.bytes.toString("base64"), encoding: "base64", source: args.src } });
  },
});
