/**
 * etcd_key: one key in etcd, compared before it is written. The probe reads the key (v3 or the
 * v2 API that flannel 0.x reads); the plan writes only when the value differs (a mapping or JSON
 * text is compared as JSON, so key order and spacing do not count) and the write is guarded by
 * what the probe saw (support/etcd.ts). Never an unconditional set. In check mode the key is
 * `etcd:KEY`: a later task reads the predicted write; an etcd that an earlier package or service
 * change would bring up cannot answer yet, and the executor reports that as unknown, not failed.
 *
 * run_once-friendly: with `run_once` (and `delegate_to` an etcd host) one host writes and every
 * host of the play sees the registered result; without it, every host plans the same write and
 * the guard lets the first one win while the others accept the identical outcome.
 */
import { isDeepStrictEqual } from "node:util";
import { z } from "zod";
import { defineModule, type Effect, type Fact, type Plan, type Step } from "./types.js";
import { RUNBOOK_COLLECTION } from "./names.js";
import { GUARDED_WRITE, etcdctlArgv, parseKeyState, parsedJson, readKeyArgv, txnText, type EtcdConnection, type EtcdKeyState, type WriteOp } from "./support/etcd.js";
import { change, ok } from "./support/plan.js";
import { stringList } from "./support/schema.js";
import { shScript } from "../transport/quote.js";

// etcdctl's txn reader and its flag parser take the key as one bare word.
const KEY = /^[^\s"'\\-][^\s"'\\]*$/;

const schema = z
  .strictObject({
    key: z.string().regex(KEY, "expected a key without spaces, quotes or backslashes, not starting with '-'").describe("The key, e.g. /coreos.com/network/config."),
    value: z
      .union([z.string(), z.number(), z.boolean(), z.record(z.string(), z.unknown()), z.array(z.unknown())], {
        error: "expected text, a number, a mapping or a list",
      })
      .optional()
      .describe("The value: text as it is; a mapping or list is stored as compact JSON and compared as JSON."),
    state: z.enum(["present", "absent"]).default("present").describe("present: the key holds value; absent: the key does not exist."),
    api: z.enum(["v2", "v3"]).default("v3").describe("The etcd API: v3, or v2 (flannel 0.x reads its config through v2; etcd needs --enable-v2)."),
    endpoints: stringList("Client URLs, a list or comma-separated (default http://127.0.0.1:2379).").default(["http://127.0.0.1:2379"]),
    etcdctl: z.string().min(1).default("etcdctl").describe("The etcdctl command on the host."),
    ca_file: z.string().min(1).optional().describe("CA certificate for TLS endpoints."),
    cert_file: z.string().min(1).optional().describe("Client certificate for TLS endpoints."),
    key_file: z.string().min(1).optional().describe("Client key for TLS endpoints."),
  })
  .refine((args) => args.state === "absent" || args.value !== undefined, { message: "state present needs 'value'", path: ["value"] })
  .refine((args) => args.api === "v2" || typeof args.value !== "string" || !/[\r\n]/.test(args.value), {
    // etcdctl txn reads one operation per line
    message: "with api v3 a text value cannot span lines; give a mapping (stored as JSON) instead",
    path: ["value"],
  });

type EtcdKeyArgs = z.output<typeof schema>;

/** The text stored for a value: mappings and lists as compact JSON. */
function storedText(value: EtcdKeyArgs["value"]): string {
  if (value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

/** Whether the stored text already says what is wanted: as JSON when the wanted value is JSON, else byte for byte. */
export function sameValue(wanted: EtcdKeyArgs["value"], current: string): boolean {
  const text = storedText(wanted);
  if (text === current) return true;
  const structured = typeof wanted === "object" || (typeof wanted === "string" && /^\s*[[{]/.test(wanted));
  if (!structured) return false;
  const want = parsedJson(text);
  const have = parsedJson(current);
  return want.ok && have.ok && isDeepStrictEqual(want.value, have.value);
}

function connectionOf(args: EtcdKeyArgs): EtcdConnection {
  return { api: args.api, etcdctl: args.etcdctl, endpoints: args.endpoints, caFile: args.ca_file, certFile: args.cert_file, keyFile: args.key_file };
}

function writeStep(args: EtcdKeyArgs, before: EtcdKeyState, text: string): Step {
  const connection = connectionOf(args);
  const deleting = args.state === "absent";
  const op: WriteOp = args.api === "v3" ? "v3" : deleting ? "v2-rm" : before.exists ? "v2-set" : "v2-mk";
  const revision = before.exists ? String(before.revision) : "0";
  const argv = shScript(GUARDED_WRITE, op, deleting ? "absent" : "value", text, args.key, revision, ...etcdctlArgv(connection));
  const guard = before.exists ? `unchanged since revision ${revision}` : "still absent";
  const what = deleting ? `delete ${args.key}` : `${before.exists ? "update" : "create"} ${args.key} = ${text}`;
  return {
    kind: "run",
    argv,
    stdin: args.api === "v3" ? txnText(args.key, before, deleting ? { delete: true } : { put: text }) : undefined,
    describe: `etcd ${args.api}: ${what} (only if ${guard})`,
  };
}

/** The key as etcdctl reads it; after a predicted write (an earlier etcd_key task), that write's outcome. */
function keyFact(args: EtcdKeyArgs): Fact<EtcdKeyState> {
  return {
    argv: readKeyArgv(connectionOf(args), args.key),
    subject: `etcd:${args.key}`,
    parse: (result) => parseKeyState(args.api, result),
    predict: (after) => after as EtcdKeyState,
  };
}

/** What the write leaves; its revision is etcd's to give, so a predicted one is 0. */
function keyEffects(key: string, after: EtcdKeyState): Effect[] {
  return [{ kind: "thing", subject: `etcd:${key}`, after }];
}

function planKey(args: EtcdKeyArgs, before: EtcdKeyState): Plan {
  const previous = before.exists ? before.value : null;
  const data = { key: args.key, api: args.api, previous, revision: before.exists ? before.revision : null };
  if (args.state === "absent") {
    if (!before.exists) return ok(`${args.key} is absent`, { data: { ...data, value: null } });
    return change([writeStep(args, before, "")], undefined, keyEffects(args.key, { exists: false }), { data: { ...data, value: null } });
  }
  const text = storedText(args.value);
  if (before.exists && sameValue(args.value, before.value)) return ok(`${args.key} already holds this value`, { data: { ...data, value: before.value } });
  const diffs = [{ path: `etcd ${args.api}:${args.key}`, before: before.exists ? `${before.value}\n` : "", after: `${text}\n` }];
  return change([writeStep(args, before, text)], undefined, keyEffects(args.key, { exists: true, value: text, revision: 0 }), { diffs, data: { ...data, value: text } });
}

export const etcdKey = defineModule({
  name: "etcd_key",
  collection: RUNBOOK_COLLECTION,
  summary: "Set or delete one etcd key (v2 or v3), writing only when the value differs",
  example: [
    "- name: Flannel network config",
    "  etcd_key:",
    "    key: /coreos.com/network/config",
    "    value: { Network: 10.10.0.0/16, SubnetLen: 24, Backend: { Type: vxlan } }",
    "    api: v2",
    '    endpoints: "http://10.88.0.11:2379"',
    "  run_once: true",
  ].join("\n"),
  schema,
  facts: (args) => ({ key: keyFact(args) }),
  plan: (args, { key }) => planKey(args, key),
});
