/** stat: reads a path's state for `register`; never changes anything. */
import { z } from "zod";
import { defineLegacyModule } from "./types.js";
import { fileStateProbe, parseFileState } from "./support/file-state.js";
import { planOrFail } from "./support/probe-error.js";
import { boolish } from "./support/schema.js";

const schema = z.strictObject({
  path: z.string().min(1).describe("The path to look at (links are not followed)."),
  checksum: boolish("Compute the sha256 of a regular file.").default(true),
});

export const stat = defineLegacyModule({
  name: "stat",
  summary: "Read a file's existence, kind, mode, owner and checksum into a registered variable",
  example: ["- name: Is there a config?", "  stat:", "    path: /etc/app.conf", "  register: conf"].join("\n"),
  schema,
  probe: (args) => [fileStateProbe(args.path, args.checksum)],
  plan: (args, results) => planOrFail(() => {
    const [result] = results;
    if (result === undefined) throw new Error("missing stat probe result");
    const state = parseFileState(result);
    const stat = state.exists
      ? {
          exists: true,
          path: args.path,
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
        }
      : { exists: false, path: args.path };
    return { steps: [], changed: false, data: { stat } };
  }),
});
