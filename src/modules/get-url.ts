/** get_url: a file downloaded on the host (http, https, ftp, file://) with curl, replaced only when it differs. */
import { posix } from "node:path";
import { z } from "zod";
import { defineModule, type Plan } from "./types.js";
import { attributeChanges, attributeSteps } from "./support/attributes.js";
import { downloadStep, sourceFact, splitChecksum, type DownloadRequest, type SourceState } from "./support/download.js";
import { fileStateFact, type FileState } from "./support/file-state.js";
import { change, fail, ok } from "./support/plan.js";
import { backupPath } from "./support/safe-write.js";
import { attributeFields, boolish, intArg, type Attributes } from "./support/schema.js";

const ALGORITHMS = ["md5", "sha1", "sha224", "sha256", "sha384", "sha512"];

const schema = z.strictObject({
  url: z.string().regex(/^(https?|ftp|file):\/\//, "expected an http://, https://, ftp:// or file:// URL").describe("What to download."),
  dest: z.string().min(1).describe("The file to write, or a directory to write the URL's file name into."),
  checksum: z
    .string()
    .default("")
    .refine((value) => value === "" || (splitChecksum(value) !== undefined && ALGORITHMS.includes(splitChecksum(value)?.[0] ?? "") && /^[0-9a-f]+$/.test(splitChecksum(value)?.[1] ?? "")), "expected ALGORITHM:HEXDIGEST (sha256:..., sha1:..., md5:...)")
    .describe("ALGORITHM:DIGEST the download must have; a dest with that digest is not downloaded again."),
  force: boolish("Download every time (a dest that differs is replaced); without it, a matching checksum or a 304 is enough.").default(false),
  timeout: intArg("Seconds a request may take.", 1).default(10),
  headers: z.record(z.string(), z.union([z.string(), z.number()]).transform(String)).default({}).describe("Extra request headers."),
  backup: boolish("Copy the old file to FILE.NUMBER.DATE@TIME~ before replacing it.").default(false),
  ...attributeFields,
});

type GetUrlArgs = z.output<typeof schema>;

/** The URL's last path segment (Ansible's url_filename), "index.html" when there is none. */
function urlName(url: string): string {
  const path = url.replace(/^[a-z]+:\/\/[^/]*/, "").replace(/[?#].*$/, "");
  return posix.basename(path) || "index.html";
}

function requestOf(args: GetUrlArgs, path: string): DownloadRequest {
  return { url: args.url, path, name: urlName(args.url), force: args.force, checksum: args.checksum, timeout: args.timeout, headers: args.headers };
}

const attributesOf = (args: GetUrlArgs): Attributes => ({ mode: args.mode, owner: args.owner, group: args.group });

/** Only the attributes differ (or nothing): Ansible's "file already exists". */
function planAttributes(path: string, state: FileState, args: GetUrlArgs, data: Record<string, unknown>): Plan {
  if (!state.exists) return fail(`Destination ${path} does not exist`);
  const steps = attributeSteps(path, attributeChanges(attributesOf(args), state));
  if (steps.length === 0) return ok("file already exists", { data });
  const after = { exists: true as const, kind: "file" as const, mode: args.mode ?? state.mode, owner: args.owner ?? state.owner, group: args.group ?? state.group };
  return change(steps, "file already exists but file attributes changed", [{ kind: "path", path, after }], { data });
}

function planDownload(args: GetUrlArgs, path: string, state: FileState, source: SourceState): Plan {
  const data = { dest: path, url: args.url };
  if (source.kind === "error") return fail(source.message, undefined, data);
  if (source.kind === "not-modified") return ok("Not Modified", { data: { ...data, status_code: 304 } });
  if (source.kind === "checksum-matches") return planAttributes(path, state, args, data);
  if (source.status !== 200) return fail("Request failed", `${args.url} answered HTTP ${source.status}`, { ...data, status_code: source.status });
  if (state.exists && state.kind === "directory") return fail(`${path} is a directory`);
  if (source.kind === "missing-dest" && !source.dirExists) return fail(`Destination ${posix.dirname(path)} does not exist`, undefined, data);
  const wanted = splitChecksum(args.checksum);
  const destSha = state.exists ? state.sha256 : undefined;
  // a wrong sha256 is found before the write; Ansible's step then removes dest and fails
  const differs = source.kind === "missing-dest" || source.sha256 !== destSha || (wanted?.[0] === "sha256" && wanted[1] !== destSha);
  if (!differs) return planAttributes(path, state, args, data);
  const backup = args.backup && state.exists ? backupPath(path) : undefined;
  const mode = args.mode ?? (state.exists ? state.mode : "0644");
  const after = { exists: true as const, kind: "file" as const, mode, owner: args.owner ?? (state.exists ? state.owner : undefined), group: args.group ?? (state.exists ? state.group : undefined) };
  const data2 = backup === undefined ? data : { ...data, backup_file: backup };
  return change([downloadStep(requestOf(args, path), attributesOf(args), backup)], `${path} ${state.exists ? "differs from" : "is not yet"} ${args.url}`, [{ kind: "path", path, after }], { data: data2 });
}

export const getUrl = defineModule({
  name: "get_url",
  summary: "Download a file on the host from a URL (curl), with an optional checksum",
  example: ["- name: etcd release", "  get_url:", "    url: https://mirror.local/etcd-v3.5.tar.gz", "    dest: /opt/etcd.tar.gz", "    checksum: sha256:4f1c...", '    mode: "0644"'].join("\n"),
  schema,
  facts: (args) => {
    const inDir = posix.join(args.dest, urlName(args.url));
    return { dest: fileStateFact(args.dest, { checksum: true }), inDir: fileStateFact(inDir, { checksum: true }), source: sourceFact(requestOf(args, args.dest)) };
  },
  plan: (args, facts) => {
    const intoDir = facts.dest.exists && facts.dest.kind === "directory";
    const path = intoDir ? posix.join(args.dest, urlName(args.url)) : args.dest;
    return planDownload(args, path, intoDir ? facts.inDir : facts.dest, facts.source);
  },
});
