/** stat: reads a path's state for `register`, under Ansible's field names; never changes anything. */
import { z } from "zod";
import { defineModule } from "./types.js";
import { ok } from "./support/plan.js";
import { boolish } from "./support/schema.js";
import { CHECKSUM_ALGORITHMS, statFact } from "./support/stat-fact.js";

const schema = z.strictObject({
  path: z.string().min(1).describe("The path to look at."),
  follow: boolish("Follow a symbolic link and describe its target (default: describe the link).").default(false),
  get_checksum: boolish("Compute the checksum of a regular file (checksum_algorithm).").default(true),
  checksum_algorithm: z.enum(CHECKSUM_ALGORITHMS).default("sha1").describe("Algorithm of `checksum`; sha1 as Ansible."),
  checksum: boolish("Old runbook spelling of get_checksum.").optional(),
  get_mime: boolish("Accepted for Ansible's roles; runbook returns no mimetype.").default(true),
  get_attributes: boolish("Accepted for Ansible's roles; runbook returns no attributes.").default(true),
});

export const stat = defineModule({
  name: "stat",
  summary: "Read a file's existence, kind, mode, owner and checksum into a registered variable",
  example: ["- name: Is there a config?", "  stat:", "    path: /etc/app.conf", "  register: conf"].join("\n"),
  schema,
  readsOnly: true,
  facts: (args) => ({
    stat: statFact(args.path, { follow: args.follow, checksum: (args.checksum ?? args.get_checksum) ? args.checksum_algorithm : undefined }),
  }),
  plan: (_args, facts) => ok(undefined, { data: { stat: facts.stat } }),
});
