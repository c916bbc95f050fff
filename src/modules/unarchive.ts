/** unarchive: a tar (gz, xz, bz2, zstd) or zip archive extracted into a directory, when what it holds is not there yet. */
import { randomBytes } from "node:crypto";
import { posix } from "node:path";
import { z } from "zod";
import { defineModule, type Effect, type Plan, type Step } from "./types.js";
import { archiveFact, HANDLERS, strippedName, listLocalArchive, memberDiffers, TAR_FLAGS, type ArchiveKind, type ArchiveOnHost, type Member } from "./support/archive.js";
import { fileStateFact, type FileState } from "./support/file-state.js";
import { change, fail, ok, skip } from "./support/plan.js";
import { attributeFields, boolish, stringList, type Attributes } from "./support/schema.js";
import { shellJoin, shScript } from "../transport/quote.js";

const schema = z.strictObject({
  src: z.string().min(1).describe("The archive: a controller file (role files/, then the playbook directory), or with remote_src a path on the host."),
  dest: z.string().min(1).describe("The directory to extract into; it must exist."),
  remote_src: boolish("src is already on the host.").default(false),
  creates: z.string().min(1).optional().describe("Do nothing when this path exists."),
  extra_opts: stringList("More words for tar --extract (or unzip), e.g. --strip-components=1.").default([]),
  list_files: boolish("Register the archive's member names as `files`.").default(false),
  ...attributeFields,
});

type UnarchiveArgs = z.output<typeof schema>;

type Local = { readonly kind: ArchiveKind; readonly members: Member[]; readonly bytes: Buffer } | { readonly error: string };

/** Reads and lists a controller archive; a missing or unreadable one is the plan's failure. */
function localArchive(args: UnarchiveArgs, read: (path: string) => Buffer): Local | undefined {
  if (args.remote_src) return undefined;
  try {
    const bytes = read(args.src);
    if (bytes.length === 0) return { error: `Invalid archive '${args.src}', the file is 0 bytes` };
    return { ...listLocalArchive(bytes), bytes };
  } catch (error) {
    return { error: `Source '${args.src}' failed to transfer: ${(error as Error).message.split("\n")[0] ?? ""}` };
  }
}

function extractArgv(kind: ArchiveKind, archive: string, args: UnarchiveArgs): string[] {
  if (kind === "zip") return ["unzip", "-o", ...args.extra_opts, archive, "-d", args.dest];
  const transformed = args.extra_opts.length > 0 ? ["--show-transformed-names", ...args.extra_opts] : [];
  return ["tar", "--extract", "-C", args.dest, ...TAR_FLAGS[kind], ...transformed, "-f", archive];
}

/** chown/chmod of every member (and, as Ansible, its top folders) when the task names attributes. */
function attributeStep(args: UnarchiveArgs, members: readonly Member[]): Step[] {
  const names = [...new Set([...members.map((m) => m.name), ...members.filter((m) => m.name.includes("/")).map((m) => m.name.split("/")[0] ?? "")])];
  const owner = args.owner === undefined ? "" : `${args.owner}${args.group === undefined ? "" : `:${args.group}`}`;
  const words: string[] = [];
  if (owner !== "") words.push(shellJoin(["chown", owner, "--", ...names]));
  else if (args.group !== undefined) words.push(shellJoin(["chgrp", args.group, "--", ...names]));
  if (args.mode !== undefined) words.push(shellJoin(["chmod", args.mode, "--", ...names]));
  if (words.length === 0) return [];
  return [{ kind: "run", argv: shScript(`cd "$1" && ${words.join(" && ")}`, args.dest), describe: `set ${[args.owner, args.group, args.mode].filter(Boolean).join(" ")} on the extracted files` }];
}

function extractSteps(args: UnarchiveArgs, kind: ArchiveKind, local: Local | undefined): Step[] {
  if (local === undefined || "error" in local) return [{ kind: "run", argv: extractArgv(kind, args.src, args) }];
  const temp = `/tmp/.runbook-unarchive-${randomBytes(6).toString("hex")}`;
  const extract = shellJoin(extractArgv(kind, temp, args));
  return [
    { kind: "put", path: temp, content: local.bytes, mode: "0600" },
    { kind: "run", argv: shScript(`${extract}; rc=$?; rm -f -- "$1"; exit $rc`, temp), describe: `${shellJoin(extractArgv(kind, args.src, args))} (the controller's archive)` },
  ];
}

/** What extraction leaves: the members, without their content (check mode cannot read it). */
function memberEffects(args: UnarchiveArgs, members: readonly Member[]): Effect[] {
  const attributes: Attributes = { mode: args.mode, owner: args.owner, group: args.group };
  return members.map((member) => ({
    kind: "path",
    path: posix.join(args.dest, member.name),
    after: member.kind === "link" || member.kind === "other" ? { exists: true, kind: "link" } : { exists: true, kind: member.kind, mode: attributes.mode ?? member.mode, owner: attributes.owner, group: attributes.group },
  }));
}

/** tar's --strip-components from extra_opts (0 without): names then lose that many leading parts. */
function stripCount(extraOpts: readonly string[]): number {
  return Number(extraOpts.map((word) => /^--strip(?:-components)?=(\d+)$/.exec(word)?.[1]).find((value) => value !== undefined) ?? 0);
}

function planUnarchive(args: UnarchiveArgs, onHost: ArchiveOnHost, local: Local | undefined, creates: FileState | undefined): Plan {
  if (creates?.exists === true) return skip(`skipped, since ${args.creates ?? ""} exists`);
  if (local !== undefined && "error" in local) return fail(local.error);
  if (onHost.kind === "no-dest") return fail(`Destination '${args.dest}' is not a directory`);
  if (onHost.kind === "no-source") return fail(`Source '${args.src}' does not exist`);
  if (onHost.kind !== "read") return fail(`Invalid archive '${args.src}', the file is 0 bytes`);
  const { host, archive } = onHost;
  const count = archive === "zip" ? 0 : stripCount(args.extra_opts);
  const pairs = onHost.members.flatMap((member, index) => {
    const name = strippedName(member.name, count);
    return name === "" ? [] : [[{ ...member, name }, host[index] ?? { exists: false as const }] as const];
  });
  const members = pairs.map(([member]) => member);
  const data: Record<string, unknown> = { dest: args.dest, src: args.src, handler: HANDLERS[archive] };
  if (args.list_files) data["files"] = members.map((member) => member.name);
  const wanted = { mode: args.mode, owner: args.owner, group: args.group };
  const differs = pairs.some(([member, onDisk]) => memberDiffers(member, onDisk, wanted));
  if (!differs) return ok(`${args.dest} holds what ${args.src} holds`, { data });
  const steps = [...extractSteps(args, archive, local), ...attributeStep(args, members)];
  return change(steps, `${args.src} is not extracted in ${args.dest}`, memberEffects(args, members), { data });
}

export const unarchive = defineModule({
  name: "unarchive",
  summary: "Extract a tar or zip archive (from the controller or the host) into a directory",
  example: ["- name: etcd binaries", "  unarchive:", "    src: etcd-v3.5.tar.gz", "    dest: /opt", "    creates: /opt/etcd-v3.5/etcd"].join("\n"),
  schema,
  facts: (args, ctx) => {
    const local = localArchive(args, (path) => ctx.readLocalFile(path));
    const listing = local !== undefined && !("error" in local) ? local : undefined;
    return {
      archive: archiveFact(args.remote_src ? args.src : undefined, args.dest, listing, stripCount(args.extra_opts)),
      creates: args.creates === undefined ? undefined : fileStateFact(args.creates),
    };
  },
  plan: (args, facts, ctx) => planUnarchive(args, facts.archive, localArchive(args, (path) => ctx.readLocalFile(path)), facts.creates),
});
