/**
 * fetch: a host's file copied to the controller, under dest/HOSTNAME/SRC (or dest itself with
 * `flat`), idempotent by sha256: the host's checksum (a stat fact) against the controller's
 * file; only a difference reads the bytes (the `fetch` step, executor/fetch-step.ts). Changes
 * nothing on the host, so check mode foresees it.
 */
import { createHash } from "node:crypto";
import { posix } from "node:path";
import { z } from "zod";
import { defineModule, type PlanContext } from "./types.js";
import { fileStateFact } from "./support/file-state.js";
import { change, fail, ok } from "./support/plan.js";
import { boolish } from "./support/schema.js";

const schema = z.strictObject({
  src: z.string().min(1).describe("The file on the host to fetch (a file, not a directory)."),
  dest: z.string().min(1).describe("Controller directory (relative: from the playbook's directory) to save it under, as DEST/HOSTNAME/SRC; with flat, the file itself (ending in '/': into that directory)."),
  flat: boolish("Save at dest itself (plus src's base name when dest ends in '/'), not under the host name and src's path.").default(false),
  fail_on_missing: boolish("Fail when src does not exist on the host (false: ok, nothing fetched).").default(true),
  validate_checksum: boolish("Check that the fetched bytes have the checksum the host reported.").default(true),
});

type FetchArgs = z.output<typeof schema>;

/** Where the file lands on the controller, as Ansible's fetch names it. */
export function fetchDestination(args: Pick<FetchArgs, "src" | "dest" | "flat">, host: string, ctx: Pick<PlanContext, "controllerPath">): string {
  if (args.flat) return ctx.controllerPath(args.dest.endsWith("/") ? `${args.dest}${posix.basename(args.src)}` : args.dest);
  return posix.normalize(`${ctx.controllerPath(args.dest)}/${host}/${args.src}`);
}

const sha256 = (bytes: Buffer): string => createHash("sha256").update(bytes).digest("hex");

export const fetch = defineModule({
  name: "fetch",
  summary: "Copy a file from the host to the controller (DEST/HOSTNAME/SRC, or dest itself with flat)",
  example: ["- name: Keep the cluster's admin kubeconfig", "  fetch:", "    src: /etc/kubernetes/admin.conf", "    dest: artifacts/", "    flat: true"].join("\n"),
  schema,
  facts: (args) => ({ source: fileStateFact(args.src, { checksum: true, follow: true }) }),
  plan: (args, facts, ctx) => {
    const { source } = facts;
    const host = typeof ctx.vars["inventory_hostname"] === "string" ? ctx.vars["inventory_hostname"] : ctx.host;
    const dest = fetchDestination(args, host, ctx);
    if (!source.exists) {
      if (args.fail_on_missing) return fail(`the remote file does not exist: ${args.src}`, undefined, { file: args.src });
      return ok("the remote file does not exist, not transferring, ignored", { data: { file: args.src } });
    }
    if (source.kind === "directory") return fail("remote file is a directory, fetch cannot work on directories", undefined, { file: args.src });
    if (source.kind !== "file" || source.sha256 === undefined) return fail(`unable to calculate the checksum of the remote file ${args.src}`, undefined, { file: args.src });
    const local = ctx.readControllerFile(dest);
    const data = { file: args.src, dest };
    if (local !== undefined && sha256(local) === source.sha256) return ok(`${dest} is up to date`, { data });
    const step = { kind: "fetch" as const, src: args.src, dest, sha256: args.validate_checksum ? source.sha256 : undefined };
    // nothing on the host changes: no effect for later tasks, and check mode can tell the change
    return change([step], local === undefined ? `${dest} does not exist` : `${dest} differs from ${args.src}`, [], { data });
  },
});
