/**
 * apt_key: an OpenPGP key in apt's keyring (or `keyring`), through apt-key as Ansible does. The
 * key comes from a host file, inline `data` or a `file://` URL; its id, when not given, is read
 * with `gpg --with-colons` on the host. Present when the keyring lists the id (16 hex digits,
 * or 8 for a short id), as `apt-key adv --list-public-keys --keyid-format=long` prints it.
 */
import { z } from "zod";
import { defineModule, type Fact, type Plan, type ProbeResult, type Step } from "./types.js";
import { change, fail, ok } from "./support/plan.js";
import { ProbeError } from "./support/probe-error.js";
import { shScript } from "../transport/quote.js";

const schema = z.strictObject({
  id: z.string().optional().describe("The key id: 8, 16 or more hex digits (0x allowed); read from the key when left out."),
  file: z.string().min(1).optional().describe("A key file on the host."),
  data: z.string().optional().describe("The key itself (armored)."),
  url: z.string().optional().describe("A file:// URL of a key on the host (download http keys with get_url first)."),
  keyring: z.string().min(1).optional().describe("The keyring file instead of apt's trusted.gpg."),
  state: z.enum(["present", "absent"]).default("present").describe("present: the key is in the keyring; absent: removed (needs id)."),
  validate_certs: z.boolean().optional().describe("Accepted for Ansible's http URLs; unused."),
});

type AptKeyArgs = z.output<typeof schema>;

/** Key ids in listing output: `pub rsa3072/ID ...` lines, or colon records' 5th field; expired keys do not count. */
export function parseKeyIds(output: string): string[] {
  return output.split("\n").flatMap((line) => {
    if (!(line.startsWith("pub") || line.startsWith("sub")) || line.includes("expired")) return [];
    const code = line.split(/\s+/)[1]?.split("/");
    if (code?.length === 2 && code[1] !== undefined) return [code[1]];
    const colon = line.split(":")[4];
    return colon === undefined ? [] : [colon];
  });
}

/** Ansible's parse_key_id: [short (8), fingerprint (16 or all), full]; undefined when not a valid id. */
export function parseKeyId(raw: string): { short: string; fingerprint: string; full: string } | undefined {
  let id = raw.toUpperCase();
  if (id.startsWith("0X")) id = id.slice(2);
  if (!/^[0-9A-F]+$/.test(id) || (id.length !== 8 && id.length !== 16 && id.length <= 16)) return undefined;
  return { short: id.slice(-8), fingerprint: id.length > 16 ? id.slice(-16) : id, full: id };
}

const aptKey = (keyring: string | undefined): string[] => ["apt-key", ...(keyring === undefined ? [] : ["--keyring", keyring])];
const source = (args: AptKeyArgs): string | undefined => args.file ?? (args.url?.startsWith("file://") === true ? args.url.slice("file://".length) : undefined);

function keysFact(keyring: string | undefined): Fact<string[]> {
  return {
    argv: [...aptKey(keyring), "adv", "--list-public-keys", "--keyid-format=long"],
    subject: `apt-key:${keyring ?? ""}`,
    parse: (result: ProbeResult) => {
      if (result.rc !== 0) throw new ProbeError(`Unable to list public keys: ${result.stderr.trim() || `exit ${result.rc}`}`);
      return parseKeyIds(result.stdout);
    },
    predict: (after) => (Array.isArray(after) ? (after as string[]) : undefined),
  };
}

/** The first key id in a key file (or, with `data`, in the text passed on stdin). */
function keyIdFact(args: AptKeyArgs): Fact<string | undefined> | undefined {
  if (args.id !== undefined) return undefined;
  const path = source(args);
  const argv = path !== undefined ? ["gpg", "--with-colons", "--", path] : args.data !== undefined ? shScript('printf %s "$1" | gpg --with-colons -', args.data) : undefined;
  if (argv === undefined) return undefined;
  return {
    argv,
    parse: (result) => {
      if (result.rc !== 0) throw new ProbeError(`Unable to extract key from '${path ?? "inline data"}': ${result.stderr.trim()}`);
      return parseKeyIds(result.stdout)[0];
    },
  };
}

function addStep(args: AptKeyArgs): Step {
  const path = source(args);
  if (path !== undefined) return { kind: "run", argv: [...aptKey(args.keyring), "add", path] };
  return { kind: "run", argv: [...aptKey(args.keyring), "add", "-"], stdin: args.data ?? "", describe: "apt-key add (inline key)" };
}

function planAptKey(args: AptKeyArgs, keys: readonly string[], readId: string | undefined): Plan {
  if (args.url !== undefined && !args.url.startsWith("file://")) return fail(`only file:// URLs are supported: ${args.url}`, "download the key with get_url, then give it as file");
  if ([args.file, args.data, args.url].filter((value) => value !== undefined).length > 1) return fail("parameters are mutually exclusive: data|file|url");
  const id = parseKeyId(args.id ?? readId ?? "");
  if (id === undefined) return fail("Invalid key_id");
  const short = id.full.length === 8;
  const listed = short ? keys.map((key) => key.slice(-8)) : keys;
  const present = listed.includes(short ? id.short : id.fingerprint);
  const data = { id: args.id ?? readId, short_id: id.short, fp: id.fingerprint, key_id: id.full, before: listed };
  const subject = `apt-key:${args.keyring ?? ""}`;
  if (args.state === "present") {
    if (present) return ok(`key ${id.fingerprint} is present`, { data });
    if (source(args) === undefined && args.data === undefined) return fail("No key to add: give file, data or url");
    return change([addStep(args)], undefined, [{ kind: "thing", subject, after: [...keys, id.fingerprint] }], { data });
  }
  if (!listed.includes(id.fingerprint)) return ok(`key ${id.fingerprint} is absent`, { data });
  return change([{ kind: "run", argv: [...aptKey(args.keyring), "del", id.short] }], undefined, [{ kind: "thing", subject, after: keys.filter((key) => !key.endsWith(id.fingerprint)) }], { data });
}

export const aptKeyModule = defineModule({
  name: "apt_key",
  summary: "Add or remove an apt signing key (apt-key), from a host file, inline data or file:// URL",
  example: ["- name: The vendor's signing key", "  apt_key:", "    file: /tmp/vendor.asc", "    keyring: /etc/apt/trusted.gpg.d/vendor.gpg"].join("\n"),
  schema,
  facts: (args) => ({ keys: keysFact(args.keyring), readId: keyIdFact(args) }),
  plan: (args, facts) => planAptKey(args, facts.keys, facts.readId),
});
