import { describe, expect, it } from "vitest";
import { etcdKey, sameValue } from "../../../src/modules/etcd-key.js";
import { parseKeyState, txnQuote, txnText } from "../../../src/modules/support/etcd.js";
import { effectsOf, factsOf, fakeContext, ok, planAfter, rc, runGolden, stepsOf, type GoldenCase } from "./helpers.js";
import { describeSchemaCases } from "./schema-cases.js";

const KEY = "/coreos.com/network/config";
const EP = "--endpoints=http://127.0.0.1:2379";
const v3Base = ["env", "ETCDCTL_API=3", "etcdctl", EP];
const v2Base = ["env", "ETCDCTL_API=2", "etcdctl", EP];

/** `etcdctl get KEY -w json` output. */
const v3Found = (value: string, revision = 7) =>
  ok(JSON.stringify({ header: { revision: 9 }, kvs: [{ key: Buffer.from(KEY).toString("base64"), mod_revision: revision, value: Buffer.from(value).toString("base64") }], count: 1 }));
const v3Absent = () => ok(JSON.stringify({ header: { revision: 9 } }));
/** `etcdctl -o json get KEY` output (v2). */
const v2Found = (value: string, index = 4) => ok(JSON.stringify({ action: "get", node: { key: KEY, value, modifiedIndex: index, createdIndex: index } }));
const v2Absent = () => rc(4, "", `Error:  100: Key not found (${KEY}) [3]\n`);

/** The golden form of a guarded write: the script's arguments after `sh -c SCRIPT sh`. */
const write = (op: string, want: string, value: string, revision: string, base: readonly string[]) => ["sh", "-c", expect.any(String), "sh", op, want, value, KEY, revision, ...base];

const network = { Network: "10.10.0.0/16", SubnetLen: 24, Backend: { Type: "udp", Port: 7890 } };
const networkText = JSON.stringify(network);

const cases: GoldenCase[] = [
  { name: "v3: absent key is created only if still absent", args: { key: KEY, value: network }, probes: [v3Absent()], expect: { steps: [write("v3", "value", networkText, "0", v3Base)], probeCount: 1 } },
  { name: "v3: same JSON in another key order and spacing is ok", args: { key: KEY, value: network }, probes: [v3Found('{ "SubnetLen": 24, "Backend": {"Port": 7890, "Type": "udp"}, "Network": "10.10.0.0/16" }')], expect: { steps: [], data: { previous: expect.any(String), revision: 7 } } },
  { name: "v3: a different value is replaced only if unchanged since the read revision", args: { key: KEY, value: network }, probes: [v3Found('{"Network":"10.0.0.0/16"}', 12)], expect: { steps: [write("v3", "value", networkText, "12", v3Base)] } },
  { name: "v3: text that is not JSON compares byte for byte", args: { key: "/app/name", value: "lambert" }, probes: [v3Found("lambert ")], expect: { steps: [["sh", "-c", expect.any(String), "sh", "v3", "value", "lambert", "/app/name", "7", ...v3Base]] } },
  { name: "v3: equal text is ok", args: { key: "/app/name", value: "lambert" }, probes: [v3Found("lambert")], expect: { steps: [] } },
  { name: "v3: a JSON string value compares as JSON", args: { key: KEY, value: '{"Network": "10.10.0.0/16"}' }, probes: [v3Found('{"Network":"10.10.0.0/16"}')], expect: { steps: [] } },
  { name: "v3: delete a present key, guarded", args: { key: KEY, state: "absent" }, probes: [v3Found("x", 5)], expect: { steps: [write("v3", "absent", "", "5", v3Base)] } },
  { name: "v3: deleting an absent key is ok", args: { key: KEY, state: "absent" }, probes: [v3Absent()], expect: { steps: [] } },
  { name: "v2: absent key is made with mk", args: { key: KEY, value: network, api: "v2" }, probes: [v2Absent()], expect: { steps: [write("v2-mk", "value", networkText, "0", v2Base)] } },
  { name: "v2: a different value is swapped on its index", args: { key: KEY, value: network, api: "v2" }, probes: [v2Found('{"Network":"10.0.0.0/16"}', 4)], expect: { steps: [write("v2-set", "value", networkText, "4", v2Base)] } },
  { name: "v2: the same JSON is ok", args: { key: KEY, value: network, api: "v2" }, probes: [v2Found(JSON.stringify({ Backend: { Type: "udp", Port: 7890 }, SubnetLen: 24, Network: "10.10.0.0/16" }))], expect: { steps: [] } },
  { name: "v2: delete with its index", args: { key: KEY, state: "absent", api: "v2" }, probes: [v2Found("x", 8)], expect: { steps: [write("v2-rm", "absent", "", "8", v2Base)] } },
  { name: "v2: a directory fails", args: { key: "/coreos.com/network", value: "x", api: "v2" }, probes: [rc(1, "", "/coreos.com/network: is a directory\n")], expect: { failed: /is a directory/ } },
  { name: "endpoints list and TLS files", args: { key: "/k", value: "v", endpoints: ["https://a:2379", "https://b:2379"], ca_file: "/ca", cert_file: "/c", key_file: "/k.pem" }, probes: [v3Absent()], expect: { steps: [["sh", "-c", expect.any(String), "sh", "v3", "value", "v", "/k", "0", "env", "ETCDCTL_API=3", "etcdctl", "--endpoints=https://a:2379,https://b:2379", "--cacert=/ca", "--cert=/c", "--key=/k.pem"]] } },
  { name: "etcd down fails with etcdctl's words", args: { key: KEY, value: "x" }, probes: [rc(1, "", "Error: context deadline exceeded\n")], expect: { failed: /etcdctl get failed: Error: context deadline exceeded/ } },
];

describe("etcd_key", () => {
  it.each(cases)("$name", (golden) => {
    runGolden(etcdKey, golden);
  });

  it("probes with JSON output in each API", () => {
    const ctx = fakeContext();
    const v3 = etcdKey.schema.parse({ key: KEY, value: "x" });
    const v2 = etcdKey.schema.parse({ key: KEY, value: "x", api: "v2", endpoints: "http://a:2379, http://b:2379" });
    expect(factsOf(etcdKey, v3, ctx).map((fact) => fact.argv)).toEqual([[...v3Base, "get", KEY, "-w", "json"]]);
    expect(factsOf(etcdKey, v2, ctx).map((fact) => fact.argv)).toEqual([["env", "ETCDCTL_API=2", "etcdctl", "--endpoints=http://a:2379,http://b:2379", "-o", "json", "get", KEY]]);
  });

  it("v3 writes send a transaction guarded by the revision read, or by absence", () => {
    const created = runGolden(etcdKey, { name: "", args: { key: KEY, value: network }, probes: [v3Absent()], expect: {} });
    const step = stepsOf(created)[0];
    expect(step?.kind === "run" ? step.stdin : undefined).toBe(`create("${KEY}") = "0"\n\nput ${KEY} ${txnQuote(networkText)}\n\n\n`);
    expect(txnText(KEY, { exists: true, value: "a", revision: 12 }, { delete: true })).toBe(`mod("${KEY}") = "12"\n\ndel ${KEY}\n\n\n`);
  });

  it("reports the value and previous value for register, and a diff", () => {
    const plan = runGolden(etcdKey, { name: "", args: { key: KEY, value: { Network: "10.10.0.0/16" } }, probes: [v3Found('{"Network":"10.0.0.0/16"}', 3)], expect: {} });
    expect(plan.data).toEqual({ key: KEY, api: "v3", previous: '{"Network":"10.0.0.0/16"}', revision: 3, value: '{"Network":"10.10.0.0/16"}' });
    expect(plan.kind === "change" ? plan.diffs : undefined).toEqual([{ path: `etcd v3:${KEY}`, before: '{"Network":"10.0.0.0/16"}\n', after: '{"Network":"10.10.0.0/16"}\n' }]);
  });
});

describe("etcd_key in check mode", () => {
  it("declares the key it writes, and a later task reads that instead of etcd", () => {
    const written = runGolden(etcdKey, { name: "write", args: { key: KEY, value: network }, probes: [v3Absent()], expect: { effects: [{ kind: "thing", subject: `etcd:${KEY}`, after: { exists: true, value: networkText, revision: 0 } }] } });
    const effects = effectsOf(written);
    // etcd is not up yet in check mode: without the prediction this read would fail
    const refused = rc(1, "", "Error: dial tcp 127.0.0.1:2379: connect: connection refused");
    expect(planAfter(etcdKey, { key: KEY, value: network }, effects, { key: refused })).toMatchObject({ kind: "ok" });
    expect(planAfter(etcdKey, { key: KEY, state: "absent" }, effects, { key: refused })).toMatchObject({ kind: "change", effects: [{ kind: "thing", subject: `etcd:${KEY}`, after: { exists: false } }] });
    expect(() => planAfter(etcdKey, { key: "/other", value: "x" }, effects, { key: refused })).toThrow(/connection refused/);
  });
});

describe("etcd_key helpers", () => {
  it.each([
    ["equal text", "a", "a", true],
    ["different text", "a", "b", false],
    ["JSON text vs other JSON order", '{"a":1,"b":2}', '{"b":2,"a":1}', true],
    ["mapping vs equal JSON", { a: [1, 2] }, '{ "a": [1, 2] }', true],
    ["mapping vs different JSON", { a: [1, 2] }, '{"a":[2,1]}', false],
    ["mapping vs text that is not JSON", { a: 1 }, "a=1", false],
    ["number vs its text", 24, "24", true],
  ])("sameValue: %s", (_, wanted, current, expected) => {
    expect(sameValue(wanted as never, current)).toBe(expected);
  });

  it("txnQuote escapes backslash and quote only", () => {
    expect(txnQuote('a\\b"c')).toBe('"a\\\\b\\"c"');
  });

  it("parseKeyState tells absent from empty", () => {
    expect(parseKeyState("v3", ok('{"header":{}}'))).toEqual({ exists: false });
    expect(parseKeyState("v3", ok(JSON.stringify({ kvs: [{ value: "", mod_revision: 2 }] })))).toEqual({ exists: true, value: "", revision: 2 });
    expect(parseKeyState("v2", v2Absent())).toEqual({ exists: false });
    expect(() => parseKeyState("v3", ok("garbage"))).toThrow(/unexpected output/);
  });
});

describeSchemaCases("etcd_key", [
  { name: "present needs a value", args: { key: "/k" }, issues: [{ path: ["value"], message: /state present needs 'value'/ }] },
  { name: "key with a space", args: { key: "/a b", value: "x" }, issues: [{ path: ["key"], message: /without spaces/ }] },
  { name: "key starting with a dash", args: { key: "-k", value: "x" }, issues: [{ path: ["key"], message: /not starting with '-'/ }] },
  { name: "bad api", args: { key: "/k", value: "x", api: "v4" }, issues: [{ path: ["api"], message: /got string 'v4'/ }] },
  { name: "multi-line text with v3", args: { key: "/k", value: "a\nb" }, issues: [{ path: ["value"], message: /cannot span lines/ }] },
  { name: "misspelt argument", args: { key: "/k", value: "x", endpoint: "http://a" }, issues: [{ path: ["endpoint"], message: /unknown argument/, hint: /endpoints/ }] },
]);
