/**
 * artifact: get_url without the network. Puts a file from the local artifacts directory on the
 * host, checking an expected sha256 on the controller first; idempotent by sha256 like copy.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";
import { defineModule } from "./types.js";
import { RUNBOOK_COLLECTION } from "./names.js";
import { fail } from "./support/plan.js";
import { copyDestination } from "./copy.js";
import { sha256 } from "./support/content.js";
import { planWantedFile, wantedFileFacts } from "./support/put-file.js";
import { attributeFields, boolish } from "./support/schema.js";

const schema = z.strictObject({
  src: z.string().min(1).describe("Name of the file in the artifacts directory (artifacts_dir)."),
  dest: z.string().min(1).describe("Path on the host. Ending in '/' means: into this directory, under src's base name."),
  sha256: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, "expected 64 hex digits")
    .optional()
    .describe("Expected sha256 of the artifact; checked on the controller before anything is sent."),
  force: boolish("Replace the file when its content differs; false only creates missing files.").default(true),
  ...attributeFields,
});

export const artifact = defineModule({
  name: "artifact",
  collection: RUNBOOK_COLLECTION,
  summary: "Install a file from the local artifacts directory (a network-free get_url)",
  example: [
    "- name: Install the node exporter",
    "  artifact:",
    "    src: node_exporter-1.8.2.linux-amd64",
    "    dest: /usr/local/bin/node_exporter",
    "    sha256: 6f1b0c3e0c5b4f0ad4d8a3c1e5b8f2f3c9a1f0e2d4b6a8c0e2f4a6b8c0d2e4f6",
    '    mode: "0755"',
  ].join("\n"),
  schema,
  facts: (args, ctx) => wantedFileFacts(copyDestination(args.dest, args.src), ctx.vars),
  plan: (args, facts, ctx) => {
    const local = ctx.artifactPath(args.src);
    let content: Buffer;
    try {
      content = readFileSync(local);
    } catch (error) {
      return fail(`cannot read artifact ${local}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
    const actual = sha256(content);
    if (args.sha256 !== undefined && actual !== args.sha256.toLowerCase()) {
      return fail(`artifact ${local} has sha256 ${actual}, expected ${args.sha256.toLowerCase()}`);
    }
    const attributes = { mode: args.mode, owner: args.owner, group: args.group };
    return planWantedFile({ dest: copyDestination(args.dest, args.src), content, attributes, force: args.force }, facts);
  },
});
