/**
 * etcdctl for the etcd_key module: the read probe and its parser for both APIs, and the guarded
 * writes. A write only succeeds if the key is still as the probe saw it (v3: a transaction on
 * the key's mod revision, or on its absence; v2: --swap-with-index, mk, rm --with-index), so two
 * writers never overwrite each other blindly.
 */
import { ProbeError } from "./probe-error.js";

export type EtcdApi = "v2" | "v3";

export interface EtcdConnection {
  readonly api: EtcdApi;
  readonly etcdctl: string;
  readonly endpoints: readonly string[];
  readonly caFile?: string | undefined;
  readonly certFile?: string | undefined;
  readonly keyFile?: string | undefined;
}

/** What the probe found: no key, or its value and the revision (v3) / index (v2) it was written at. */
export type EtcdKeyState = { readonly exists: false } | { readonly exists: true; readonly value: string; readonly revision: number };

/** `env ETCDCTL_API=N etcdctl --endpoints=... [tls flags]`: the start of every command. */
export function etcdctlArgv(connection: EtcdConnection): string[] {
  const argv = ["env", `ETCDCTL_API=${connection.api === "v3" ? "3" : "2"}`, connection.etcdctl, `--endpoints=${connection.endpoints.join(",")}`];
  const v3 = connection.api === "v3";
  if (connection.caFile !== undefined) argv.push(`${v3 ? "--cacert" : "--ca-file"}=${connection.caFile}`);
  if (connection.certFile !== undefined) argv.push(`${v3 ? "--cert" : "--cert-file"}=${connection.certFile}`);
  if (connection.keyFile !== undefined) argv.push(`${v3 ? "--key" : "--key-file"}=${connection.keyFile}`);
  return argv;
}

/** The read probe: JSON output, so an absent key, an empty value and the revision are told apart. */
export function readKeyArgv(connection: EtcdConnection, key: string): string[] {
  return connection.api === "v3" ? [...etcdctlArgv(connection), "get", key, "-w", "json"] : [...etcdctlArgv(connection), "-o", "json", "get", key];
}

interface V3Response {
  kvs?: { value?: string; mod_revision?: number }[];
}

interface V2Response {
  node?: { value?: string; dir?: boolean; modifiedIndex?: number };
}

/** JSON text's value, or `ok: false` when it is not JSON. */
export function parsedJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

function parseJson(text: string, what: string): unknown {
  const parsed = parsedJson(text);
  if (!parsed.ok) throw new ProbeError(`etcdctl ${what}: unexpected output ${JSON.stringify(text.slice(0, 200))}`);
  return parsed.value;
}

function failure(stderr: string, stdout: string, rc: number): string {
  return (stderr.trim() || stdout.trim() || `exit ${rc}`).split("\n").slice(-3).join("; ");
}

/** Parses `etcdctl get KEY -w json` (v3) or `etcdctl -o json get KEY` (v2); a ProbeError when etcd did not answer. */
export function parseKeyState(api: EtcdApi, result: { rc: number; stdout: string; stderr: string }): EtcdKeyState {
  if (api === "v3") {
    if (result.rc !== 0) throw new ProbeError(`etcdctl get failed: ${failure(result.stderr, result.stdout, result.rc)}`);
    const kv = (parseJson(result.stdout, "get") as V3Response).kvs?.[0];
    if (kv === undefined) return { exists: false };
    return { exists: true, value: Buffer.from(kv.value ?? "", "base64").toString("utf8"), revision: kv.mod_revision ?? 0 };
  }
  // v2 says "Error:  100: Key not found (/x) [7]" on stderr with exit 4.
  if (result.rc !== 0 && /\b100: Key not found\b/.test(result.stderr)) return { exists: false };
  if (/is a directory/.test(result.stdout + result.stderr)) throw new ProbeError("etcdctl get: the key is a directory (v2), not a value");
  if (result.rc !== 0) throw new ProbeError(`etcdctl get failed: ${failure(result.stderr, result.stdout, result.rc)}`);
  const node = (parseJson(result.stdout, "get") as V2Response).node;
  if (node?.dir === true) throw new ProbeError("etcdctl get: the key is a directory (v2), not a value");
  return { exists: true, value: node?.value ?? "", revision: node?.modifiedIndex ?? 0 };
}

/** Text as etcdctl's txn reader takes a quoted argument: backslash and double quote escaped. */
export function txnQuote(text: string): string {
  return `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/** The v3 transaction (etcdctl txn's interactive form on stdin): compare, success ops, no failure ops. */
export function txnText(key: string, before: EtcdKeyState, operation: { put: string } | { delete: true }): string {
  const compare = before.exists ? `mod(${txnQuote(key)}) = "${before.revision}"` : `create(${txnQuote(key)}) = "0"`;
  const op = "put" in operation ? `put ${key} ${txnQuote(operation.put)}` : `del ${key}`;
  return `${compare}\n\n${op}\n\n\n`;
}

export type WriteOp = "v3" | "v2-mk" | "v2-set" | "v2-rm";

/*
 * The guarded write, in POSIX sh: $1 op, $2 want (value|absent), $3 the wanted value, $4 the key,
 * $5 the revision the probe saw; the rest is etcdctl's argv (etcdctlArgv). v3 reads the
 * transaction from stdin. When the guard fails because another writer got there first with the
 * same outcome, that is success: the same task on every host writes once and fails nowhere.
 */
export const GUARDED_WRITE = `
op=$1 want=$2 value=$3 key=$4 rev=$5; shift 5
case $op in
  v3) out=$("$@" txn 2>&1) && case $out in SUCCESS*) exit 0 ;; esac ;;
  v2-mk) out=$("$@" mk "$key" "$value" 2>&1 >/dev/null) && exit 0 ;;
  v2-set) out=$("$@" set --swap-with-index "$rev" "$key" "$value" 2>&1 >/dev/null) && exit 0 ;;
  v2-rm) out=$("$@" rm --with-index "$rev" "$key" 2>&1 >/dev/null) && exit 0 ;;
esac
if [ "$want" = absent ]; then
  if [ "$op" = v3 ]; then now=$("$@" get --keys-only "$key") && [ -z "$now" ] && exit 0
  else "$@" get "$key" 2>&1 | grep -q 'Key not found' && exit 0; fi
else
  if [ "$op" = v3 ]; then now=$("$@" get --print-value-only "$key"); else now=$("$@" get "$key"); fi && [ "$now" = "$value" ] && exit 0
fi
printf 'etcd_key: writing %s failed: %s\\n(a failed guard means another writer changed the key since it was read: run again)\\n' "$key" "$out" >&2
exit 1`.trim();
