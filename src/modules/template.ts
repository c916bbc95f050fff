/** template: renders a Handlebars file on the controller, then plans exactly like copy. */
import { z } from "zod";
import { defineModule } from "./types.js";
import { copyDestination } from "./copy.js";
import { planWantedFile, wantedFileFacts } from "./support/put-file.js";
import { attributeFields, boolish } from "./support/schema.js";

const schema = z.strictObject({
  src: z.string().min(1).describe("Template file (role templates/, then the playbook directory), rendered with the task's vars."),
  dest: z.string().min(1).describe("Path on the host. Ending in '/' means: into this directory, under src's base name."),
  force: boolish("Replace the file when its content differs; false only creates missing files.").default(true),
  ...attributeFields,
});

export const template = defineModule({
  name: "template",
  summary: "Render a template on the controller and write it to the host",
  example: ["- name: Configure nginx", "  template:", "    src: nginx.conf.hbs", "    dest: /etc/nginx/nginx.conf", '    mode: "0644"'].join("\n"),
  schema,
  facts: (args, ctx) => wantedFileFacts(copyDestination(args.dest, args.src), ctx.vars),
  plan: (args, facts, ctx) => {
    const content = Buffer.from(ctx.renderTemplate(args.src), "utf8");
    const attributes = { mode: args.mode, owner: args.owner, group: args.group };
    return planWantedFile({ dest: copyDestination(args.dest, args.src), content, attributes, force: args.force }, facts);
  },
});
