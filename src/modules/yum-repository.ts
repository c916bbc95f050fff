/**
 * yum_repository: one section of a .repo file present (with exactly the options given) or
 * absent, as Ansible's module writes it: options sorted by name, booleans as 1/0, a file left
 * without sections removed. The file is rewritten only when its sorted content changes.
 */
import { posix } from "node:path";
import { z } from "zod";
import { defineModule, type Plan } from "./types.js";
import { editedFileFacts, planEditedFile } from "./support/edit-file.js";
import { change, fail, ok } from "./support/plan.js";
import { dumpRepoIni, parseRepoIni, writeRepoIni, type RepoIni } from "./support/repo-ini.js";
import { attributeFields, boolish, stringList } from "./support/schema.js";

const text = (what: string) => z.union([z.string(), z.number()]).transform(String).optional().describe(what);
const flag = (what: string) => boolish(what).optional();

/** Options written as given (Ansible's allowed_params that are neither booleans nor lists). */
const TEXT_OPTIONS = [
  "bandwidth", "cost", "deltarpm_metadata_percentage", "deltarpm_percentage", "failovermethod", "gpgcakey", "http_caching", "include", "ip_resolve", "keepcache",
  "metadata_expire", "metadata_expire_filter", "metalink", "mirrorlist", "mirrorlist_expire", "password", "priority", "proxy", "proxy_password", "proxy_username",
  "retries", "sslcacert", "sslclientcert", "sslclientkey", "throttle", "timeout", "ui_repoid_vars", "username",
] as const;
const FLAG_OPTIONS = [
  "async", "enabled", "enablegroups", "gpgcheck", "keepalive", "module_hotfixes", "protect", "repo_gpgcheck", "s3_enabled", "skip_if_unavailable", "ssl_check_cert_permissions", "sslverify",
] as const;

const schema = z
  .strictObject({
    name: z.string().min(1).describe("The repository id: the section's name."),
    description: z.string().optional().describe("The repository's human name (its `name` option); required with state present."),
    baseurl: stringList("URL(s) of the repository (one per line in the file).").optional(),
    gpgkey: stringList("URL(s) of the GPG key(s).").optional(),
    exclude: stringList("Packages not to take from this repository.").optional(),
    includepkgs: stringList("The only packages to take from this repository.").optional(),
    file: z.string().min(1).optional().describe("The file's name without .repo (default: name)."),
    reposdir: z.string().min(1).default("/etc/yum.repos.d").describe("The directory of .repo files (it must exist)."),
    state: z.enum(["present", "absent"]).default("present").describe("present: the section with these options; absent: the section removed (and the file, once empty)."),
    ca_cert: z.string().optional().describe("Alias of sslcacert."),
    client_cert: z.string().optional().describe("Alias of sslclientcert."),
    client_key: z.string().optional().describe("Alias of sslclientkey."),
    validate_certs: flag("Alias of sslverify."),
    ...Object.fromEntries(TEXT_OPTIONS.map((option) => [option, text(`The ${option} option of the repository.`)])) as Record<(typeof TEXT_OPTIONS)[number], ReturnType<typeof text>>,
    ...Object.fromEntries(FLAG_OPTIONS.map((option) => [option, flag(`The ${option} option (written 1 or 0).`)])) as Record<(typeof FLAG_OPTIONS)[number], ReturnType<typeof flag>>,
    ...attributeFields,
  })
  .superRefine((args, ctx) => {
    if (args.state !== "present") return;
    if (args.baseurl === undefined && args.metalink === undefined && args.mirrorlist === undefined) {
      ctx.addIssue({ code: "custom", path: ["baseurl"], message: "Parameter 'baseurl', 'metalink' or 'mirrorlist' is required." });
    }
    if (args.description === undefined) ctx.addIssue({ code: "custom", path: ["description"], message: "Parameter 'description' is required." });
  });

type RepoArgs = z.output<typeof schema>;

/** The section's options as Ansible sets them: every given option, sorted by name. */
function sectionOptions(args: RepoArgs): Map<string, string> {
  const given: Record<string, string | undefined> = {
    baseurl: args.baseurl?.join("\n"),
    gpgkey: args.gpgkey?.join("\n"),
    exclude: args.exclude?.join(" "),
    includepkgs: args.includepkgs?.join(" "),
    name: args.description,
    sslcacert: args.sslcacert ?? args.ca_cert,
    sslclientcert: args.sslclientcert ?? args.client_cert,
    sslclientkey: args.sslclientkey ?? args.client_key,
  };
  for (const option of TEXT_OPTIONS) given[option] ??= args[option];
  for (const option of FLAG_OPTIONS) {
    const value = option === "sslverify" ? (args.sslverify ?? args.validate_certs) : args[option];
    if (value !== undefined) given[option] = value ? "1" : "0";
  }
  return new Map(Object.entries(given).filter((entry): entry is [string, string] => entry[1] !== undefined).sort(([a], [b]) => (a < b ? -1 : 1)));
}

function planRepository(args: RepoArgs, facts: Parameters<typeof planEditedFile>[1]): Plan {
  const dest = posix.join(args.reposdir, `${args.file ?? args.name}.repo`);
  if (facts.parent === false && !facts.state.exists) return fail(`Repo directory '${args.reposdir}' does not exist.`);
  const current = facts.state.exists && facts.content.read ? facts.content.text : "";
  const parsed = parseRepoIni(current);
  if (!parsed.ok) return fail(`cannot read ${dest}: ${parsed.problem}`);
  const after: RepoIni = new Map(parsed.ini);
  after.delete(args.name);
  if (args.state === "present") after.set(args.name, sectionOptions(args));
  const data = { repo: args.name, state: args.state };
  const same = dumpRepoIni(parsed.ini) === dumpRepoIni(after);
  if (!same && after.size === 0) {
    return change([{ kind: "run", argv: ["rm", "-f", "--", dest] }], `${dest} has no repository left`, [{ kind: "path", path: dest, after: { exists: false } }], { data });
  }
  if (!facts.state.exists && after.size === 0) return ok(`${dest} does not exist`, { data });
  const plan = planEditedFile({ path: dest, edit: (text) => (same ? text : writeRepoIni(after)), create: true, attributes: args }, facts);
  return plan.kind === "fail" ? plan : { ...plan, data: { ...plan.data, ...data } };
}

export const yumRepository = defineModule({
  name: "yum_repository",
  summary: "Add or remove a YUM/DNF repository (a section of a .repo file)",
  example: ["- name: EPEL", "  yum_repository:", "    name: epel", "    description: EPEL YUM repo", "    baseurl: https://download.fedoraproject.org/pub/epel/$releasever/$basearch/", "    gpgcheck: true"].join("\n"),
  schema,
  facts: (args) => editedFileFacts(posix.join(args.reposdir, `${args.file ?? args.name}.repo`), { create: true }),
  plan: (args, facts) => planRepository(args, facts),
});
