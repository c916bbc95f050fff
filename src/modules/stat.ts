/** stat: reads a path's state for `register`; never changes anything. */
import { z } from "zod";
import { defineModule } from "./types.js";
import { fileStateFact, type FileState } from "./support/file-state.js";
import { ok } from "./support/plan.js";
import { boolish } from "./support/schema.js";

const schema = z.strictObject({
  path: z.string().min(1).describe("The path to look at (links are not followed)."),
  checksum: boolish("Compute the sha256 of a regular file.").default(true),
});

/** The registered `stat` the way Ansible names its fields. */
function statResult(path: string, state: FileState): Record<string, unknown> {
  if (!state.exists) return { exists: false, path };
  return {
    exists: true,
    path,
    isdir: state.kind === "directory",
    isreg: state.kind === "file",
    islnk: state.kind === "link",
    mode: state.mode,
    uid: state.uid,
    gid: state.gid,
    pw_name: state.owner,
    gr_name: state.group,
    size: state.size,
    checksum: state.sha256,
    lnk_target: state.linkTarget,
  };
}

export const stat = defineModule({
  name: "stat",
  summary: "Read a file's existence, kind, mode, owner and checksum into a registered variable",
  example: ["- name: Is there a config?", "  stat:", "    path: /etc/app.conf", "  register: conf"].join("\n"),
  schema,
  readsOnly: true,
  facts: (args) => ({ state: fileStateFact(args.path, { checksum: args.checksum }) }),
  plan: (args, facts) => ok(undefined, { data: { stat: statResult(args.path, facts.state) } }),
});
