/** template: renders a Jinja2 (or, named *.hbs, Handlebars) file on the controller, then plans exactly like copy. */
import { z } from "zod";
import { defineModule } from "./types.js";
import { validateArg } from "./copy.js";
import { copyDestFacts, resolveDest, withFirstStep } from "./support/copy-dest.js";
import { planWantedFileFromState } from "./support/put-file.js";
import { attributeFields, boolish } from "./support/schema.js";

const NEWLINES = { "\\n": "\n", "\\r": "\r", "\\r\\n": "\r\n" } as const;

const schema = z.strictObject({
  src: z.string().min(1).describe("Template file (role templates/, then the playbook directory), rendered with the task's vars."),
  dest: z.string().min(1).describe("Path on the host. Ending in '/', or an existing directory: into it, under src's base name."),
  force: boolish("Replace the file when its content differs; false only creates missing files.").default(true),
  follow: boolish("When dest is a symbolic link, write its target (default: replace the link by a file).").default(false),
  backup: boolish("Keep the old file as DEST.PID.YYYY-MM-DD@HH:MM:SS~ when replacing it.").default(false),
  validate: validateArg,
  newline_sequence: z
    .enum(["\\n", "\\r", "\\r\\n", "\n", "\r", "\r\n"])
    .default("\n")
    .describe("Line ending of the written file (every line of the template gets it), as Ansible's: \\n by default."),
  ...attributeFields,
});

/** The rendered text with every line ending made `newline`, as Jinja2 does with its newline_sequence. */
export function withNewlines(text: string, newline: string): string {
  const sequence = newline in NEWLINES ? NEWLINES[newline as keyof typeof NEWLINES] : newline;
  return text.replace(/\r\n|\r|\n/g, sequence);
}

export const template = defineModule({
  name: "template",
  summary: "Render a template on the controller and write it to the host",
  example: ["- name: Configure nginx", "  template:", "    src: nginx.conf.j2", "    dest: /etc/nginx/nginx.conf", '    mode: "0644"'].join("\n"),
  schema,
  facts: (args, ctx) => copyDestFacts({ dest: args.dest, src: args.src, follow: args.follow }, ctx.vars),
  plan: (args, facts, ctx) => {
    const target = resolveDest({ dest: args.dest, src: args.src, follow: args.follow }, facts, undefined);
    const content = Buffer.from(withNewlines(ctx.renderTemplate(args.src), args.newline_sequence), "utf8");
    const attributes = { mode: args.mode, owner: args.owner, group: args.group };
    const wanted = { dest: target.dest, content, attributes, force: args.force, backup: args.backup, validate: args.validate };
    return withFirstStep(planWantedFileFromState(wanted, target.state, target.before), target.mkdir);
  },
});
