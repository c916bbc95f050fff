import { describe, expect, it } from "vitest";
import { ovsBridge } from "../../../src/modules/ovs-bridge.js";
import { ovsPort } from "../../../src/modules/ovs-port.js";
import { ovsPorts } from "../../../src/modules/ovs-ports.js";
import { probeKey } from "../../../src/executor/probe-cache.js";
import { ovsQuote, parseOvsTable } from "../../../src/modules/support/ovs.js";
import { parseOvsSnapshot, portsOf } from "../../../src/modules/support/ovs-snapshot.js";
import type { Effect, ModuleDefinition, Plan, Probe, ProbeResult } from "../../../src/modules/types.js";
import { ipLinkModule } from "../../../src/modules/ip-link.js";
import { factsOf, fakeContext, goldenStep, ok, planAfter, rc, runGolden, stepsOf, type GoldenCase } from "./helpers.js";
import { capturedProbe } from "./probe-fixtures.js";
import { describeSchemaCases } from "./schema-cases.js";

// The snapshot probe's output as captured on a lab host (see test/fixtures/probes/README.md).
const WANTED = capturedProbe("ovs-wanted.out");
const DRIFTED = capturedProbe("ovs-drifted.out");
const ONE_BRIDGE = capturedProbe("ovs-one-bridge.out");
const EMPTY = capturedProbe("ovs-empty.out");
const DB_DOWN = rc(1, "", "ovs-vsctl: unix:/var/run/openvswitch/db.sock: database connection failed (No such file or directory)\n");
const NOT_INSTALLED = rc(127, "", "sh: 1: ovs-vsctl: not found\n");

const bridgeCases: GoldenCase[] = [
  {
    name: "creates a netdev bridge with its settings in one transaction",
    args: { bridge: "br-tun", datapath_type: "netdev", rstp_enable: true, mtu_request: 1450 },
    probes: [EMPTY],
    expect: {
      probeCount: 1,
      steps: [["ovs-vsctl", "--may-exist", "add-br", "br-tun", "--", "set", "bridge", "br-tun", "datapath_type=netdev", "rstp_enable=true", "--", "set", "interface", "br-tun", "mtu_request=1450"]],
    },
  },
  { name: "a plain new bridge", args: { bridge: "br-tun" }, probes: [EMPTY], expect: { steps: [["ovs-vsctl", "--may-exist", "add-br", "br-tun"]] } },
  { name: "a new bridge beside others", args: { bridge: "br-int" }, probes: [WANTED], expect: { steps: [["ovs-vsctl", "--may-exist", "add-br", "br-int"]] } },
  {
    name: "as wanted: nothing",
    args: { bridge: "br-tun", datapath_type: "netdev", fail_mode: "standalone", rstp_enable: "no", mtu_request: 1450 },
    probes: [WANTED],
    expect: { steps: [] },
  },
  { name: "unset columns mean standalone and protocols off", args: { bridge: "br-tun", fail_mode: "standalone", stp_enable: false, rstp_enable: false }, probes: [ONE_BRIDGE], expect: { steps: [] } },
  { name: "another datapath", args: { bridge: "br-tun", datapath_type: "system" }, probes: [ONE_BRIDGE], expect: { steps: [["ovs-vsctl", "--may-exist", "add-br", "br-tun", "--", "set", "bridge", "br-tun", "datapath_type=system"]] } },
  {
    name: "sets only what differs",
    args: { bridge: "br-tun", datapath_type: "netdev", fail_mode: "secure", other_config: { "rstp-priority": 4096, "mac-aging-time": "300" } },
    probes: [DRIFTED],
    expect: { steps: [["ovs-vsctl", "--may-exist", "add-br", "br-tun", "--", "set", "bridge", "br-tun", "fail_mode=secure", "other_config:rstp-priority=4096"]] },
  },
  {
    name: "drift corrected: rstp and the mtu",
    args: { bridge: "br-tun", datapath_type: "netdev", rstp_enable: false, mtu_request: 1450 },
    probes: [DRIFTED],
    expect: { steps: [["ovs-vsctl", "--may-exist", "add-br", "br-tun", "--", "set", "bridge", "br-tun", "rstp_enable=false", "--", "set", "interface", "br-tun", "mtu_request=1450"]] },
  },
  { name: "only the mtu", args: { bridge: "br-tun", mtu_request: 1500 }, probes: [WANTED], expect: { steps: [["ovs-vsctl", "--may-exist", "add-br", "br-tun", "--", "set", "interface", "br-tun", "mtu_request=1500"]] } },
  { name: "absent deletes", args: { bridge: "br-tun", state: "absent" }, probes: [WANTED], expect: { steps: [["ovs-vsctl", "--if-exists", "del-br", "br-tun"]] } },
  { name: "absent and missing: nothing", args: { bridge: "br-tun", state: "absent" }, probes: [EMPTY], expect: { steps: [] } },
  { name: "database down fails with ovs-vsctl's words", args: { bridge: "br-tun" }, probes: [DB_DOWN], expect: { failed: /^ovs-vsctl failed: .*database connection failed/ } },
  { name: "ovs-vsctl missing fails", args: { bridge: "br-tun" }, probes: [NOT_INSTALLED], expect: { failed: /^ovs-vsctl failed: sh: 1: ovs-vsctl: not found \(is openvswitch/ } },
  { name: "output it cannot read fails", args: { bridge: "br-tun" }, probes: [ok("ovs-vsctl 3.1.0\n")], expect: { failed: /unreadable output/ } },
];

describe("ovs_bridge", () => {
  it.each(bridgeCases)("$name", (golden) => {
    runGolden(ovsBridge, golden);
  });
  it("hints at the service when ovs-vsctl fails", () => {
    runGolden(ovsBridge, { name: "down", args: { bridge: "br-tun" }, probes: [DB_DOWN], expect: { failed: /database.*\(is openvswitch-switch installed and running\?\)$/ } });
  });
});

const vxlan = (peer: string, extra: Record<string, unknown> = {}) => ({
  bridge: "br-tun",
  port: `vx-${peer}`,
  type: "vxlan",
  options: { remote_ip: `10.99.0.${peer.slice(1)}`, key: 0, dst_port: 4789 },
  protected: true,
  ...extra,
});

const portCases: GoldenCase[] = [
  {
    name: "adds a protected vxlan port in one transaction",
    args: vxlan("h2"),
    probes: [ONE_BRIDGE],
    expect: {
      probeCount: 1,
      steps: [
        ["ovs-vsctl", "add-port", "br-tun", "vx-h2", "--", "set", "interface", "vx-h2", "type=vxlan", "options:remote_ip=10.99.0.2", "options:key=0", "options:dst_port=4789", "--", "set", "port", "vx-h2", "protected=true"],
      ],
    },
  },
  { name: "as wanted: nothing", args: vxlan("h2"), probes: [WANTED], expect: { steps: [] } },
  { name: "a changed remote_ip is corrected with set interface", args: vxlan("h2"), probes: [DRIFTED], expect: { steps: [["ovs-vsctl", "set", "interface", "vx-h2", "options:remote_ip=10.99.0.2"]] } },
  { name: "options not listed are removed", args: vxlan("h3"), probes: [DRIFTED], expect: { steps: [["ovs-vsctl", "remove", "interface", "vx-h3", "options", "tos"]] } },
  { name: "protected switched off", args: vxlan("h3", { protected: "no" }), probes: [WANTED], expect: { steps: [["ovs-vsctl", "set", "port", "vx-h3", "protected=false"]] } },
  {
    name: "a port on another bridge is moved",
    args: { bridge: "br-tun", port: "veth-ovs" },
    probes: [DRIFTED],
    expect: { steps: [["ovs-vsctl", "del-port", "br-phy", "veth-ovs", "--", "add-port", "br-tun", "veth-ovs"]] },
  },
  { name: "a system port as wanted (type '' is system)", args: { bridge: "br-tun", port: "veth-ovs" }, probes: [WANTED], expect: { steps: [] } },
  { name: "the bridge's own port is on the bridge", args: { bridge: "br-tun", port: "br-tun", type: "internal", mtu_request: 1450 }, probes: [WANTED], expect: { steps: [] } },
  {
    name: "type and mtu corrected",
    args: { bridge: "br-tun", port: "veth-ovs", type: "internal", mtu_request: 1450 },
    probes: [WANTED],
    expect: { steps: [["ovs-vsctl", "set", "interface", "veth-ovs", "type=internal", "mtu_request=1450"]] },
  },
  { name: "a port on a bridge that does not exist yet (check mode)", args: { bridge: "br-tun", port: "veth-ovs" }, probes: [EMPTY], expect: { steps: [["ovs-vsctl", "add-port", "br-tun", "veth-ovs"]] } },
  { name: "absent deletes with --if-exists", args: { bridge: "br-tun", port: "vx-h2", state: "absent" }, probes: [WANTED], expect: { steps: [["ovs-vsctl", "--if-exists", "del-port", "br-tun", "vx-h2"]] } },
  { name: "absent, on another bridge: nothing", args: { bridge: "br-phy", port: "vx-h2", state: "absent" }, probes: [WANTED], expect: { steps: [] } },
  { name: "absent and missing: nothing", args: { bridge: "br-tun", port: "vx-h2", state: "absent" }, probes: [EMPTY], expect: { steps: [] } },
  { name: "database down fails", args: vxlan("h2"), probes: [DB_DOWN], expect: { failed: /database connection failed/ } },
];

describe("ovs_port", () => {
  it.each(portCases)("$name", (golden) => {
    runGolden(ovsPort, golden);
  });
});

const prunePlans: GoldenCase[] = [
  {
    name: "deletes the tunnels of nodes that left",
    args: { bridge: "br-tun", type: "vxlan", name_prefix: "vx-", keep: ["h1", "h2", "h3"] },
    probes: [DRIFTED],
    expect: { probeCount: 1, steps: [["ovs-vsctl", "--if-exists", "del-port", "br-tun", "vx-h4"]] },
  },
  { name: "nothing to delete", args: { bridge: "br-tun", type: "vxlan", name_prefix: "vx-", keep: "h1,h2,h3" }, probes: [WANTED], expect: { steps: [] } },
  {
    name: "several in one transaction; other types and prefixes are safe",
    args: { bridge: "br-tun", type: "vxlan", name_prefix: "vx-", keep: [] },
    probes: [DRIFTED],
    expect: { steps: [["ovs-vsctl", "--if-exists", "del-port", "br-tun", "vx-h2", "--", "--if-exists", "del-port", "br-tun", "vx-h3", "--", "--if-exists", "del-port", "br-tun", "vx-h4"]] },
  },
  { name: "the bridge's own port is never a candidate", args: { bridge: "br-phy", keep: [] }, probes: [WANTED], expect: { steps: [["ovs-vsctl", "--if-exists", "del-port", "br-phy", "eth1"]] } },
  { name: "only the ports of this bridge", args: { bridge: "br-phy", type: "vxlan", keep: [] }, probes: [DRIFTED], expect: { steps: [] } },
  { name: "no bridge: nothing", args: { bridge: "br-tun", keep: [] }, probes: [EMPTY], expect: { steps: [] } },
  { name: "ovs-vsctl missing fails", args: { bridge: "br-tun", keep: [] }, probes: [NOT_INSTALLED], expect: { failed: /not found/ } },
];

describe("ovs_ports", () => {
  it.each(prunePlans)("$name", (golden) => {
    runGolden(ovsPorts, golden);
  });
});

describe("one ovs-vsctl process for every ovs task on a host", () => {
  const probesOf = (module: ModuleDefinition, args: unknown): Probe[] => factsOf(module, module.schema.parse(args), fakeContext());
  it("two different ovs_port tasks probe with the identical argv, so the batch runs it once", () => {
    const [first] = probesOf(ovsPort, vxlan("h2"));
    const [second] = probesOf(ovsPort, { bridge: "br-phy", port: "eth1" });
    expect(first?.argv).toEqual(second?.argv);
    expect(probeKey(first as Probe, undefined, { connection: "ssh", user: "root" })).toBe(probeKey(second as Probe, undefined, { connection: "ssh", user: "root" }));
  });
  it("ovs_bridge and ovs_ports share it too", () => {
    const keys = [
      ...probesOf(ovsBridge, { bridge: "br-tun", mtu_request: 1450 }),
      ...probesOf(ovsBridge, { bridge: "br-phy", state: "absent" }),
      ...probesOf(ovsPorts, { bridge: "br-tun", keep: [] }),
      ...probesOf(ovsPort, vxlan("h3")),
    ].map((probe) => probeKey(probe, undefined, { connection: "ssh", user: "root" }));
    expect(new Set(keys).size).toBe(1);
    expect(keys).toHaveLength(4);
  });
});

describe("the OVS snapshot", () => {
  it("maps ports to bridges through Bridge.ports and Port._uuid", () => {
    const snapshot = parseOvsSnapshot(DRIFTED.stdout);
    expect(Object.fromEntries(snapshot.bridgeOfPort)).toEqual({
      "br-phy": "br-phy",
      eth1: "br-phy",
      "veth-ovs": "br-phy",
      "br-tun": "br-tun",
      "vx-h2": "br-tun",
      "vx-h3": "br-tun",
      "vx-h4": "br-tun",
      "vx-local": "br-tun",
    });
    expect(portsOf(snapshot, "br-tun")).toEqual(["vx-h2", "vx-h3", "vx-h4", "vx-local"]);
    expect(snapshot.interfaces.get("vx-h3")).toMatchObject({ type: "vxlan", options: { dst_port: "4789", key: "0", remote_ip: "10.99.0.3", tos: "inherit" }, mtu_request: undefined });
    expect(snapshot.ports.get("vx-h4")).toMatchObject({ protected: true });
  });
  it("reads a one-port bridge (a bare uuid, not a set)", () => {
    const snapshot = parseOvsSnapshot(ONE_BRIDGE.stdout);
    expect(snapshot.bridgeOfPort.get("br-tun")).toBe("br-tun");
    expect(portsOf(snapshot, "br-tun")).toEqual([]);
  });
  it("an empty database is empty, not an error", () => {
    const snapshot = parseOvsSnapshot(EMPTY.stdout);
    expect([snapshot.bridges.size, snapshot.ports.size, snapshot.interfaces.size]).toEqual([0, 0, 0]);
  });
  it("rejects output that is not the three tables", () => {
    expect(() => parseOvsSnapshot(EMPTY.stdout.split("\n")[0] ?? "")).toThrow(/expected 3 tables/);
  });
});

describeSchemaCases("ovs_port", [
  { name: "unknown type", args: { bridge: "b", port: "p", type: "vxlan4" }, issues: [{ path: ["type"], message: /got string 'vxlan4'/ }] },
  { name: "port name too long", args: { bridge: "b", port: "vx-k18s02.example.com" }, issues: [{ path: ["port"], message: /1-15 characters/ }] },
  { name: "misspelt option", args: { bridge: "b", port: "p", option: {} }, issues: [{ path: ["option"], message: /unknown argument/, hint: /options/ }] },
]);

describe("ovs-vsctl JSON and quoting", () => {
  it("decodes sets, maps, uuids and empty optional columns", () => {
    const [row] = parseOvsTable(JSON.stringify({ data: [["br", ["set", []], ["map", [["a", "1"]]], ["uuid", "u-1"], ["set", [["uuid", "x"], ["uuid", "y"]]]]], headings: ["name", "fail_mode", "other_config", "_uuid", "ports"] }));
    expect(row).toEqual({ name: "br", fail_mode: undefined, other_config: { a: "1" }, _uuid: "u-1", ports: ["x", "y"] });
  });
  it("quotes values ovs-vsctl would split", () => {
    expect(ovsQuote("10.0.0.1")).toBe("10.0.0.1");
    expect(ovsQuote("fe80::1")).toBe('"fe80::1"');
    expect(ovsQuote('a "b", c')).toBe('"a \\"b\\", c"');
  });
});

describe("check mode on a fresh host: later tasks plan against what earlier ones would make", () => {
  /** Plans each task against the predictions so far, records its effects, and returns the plans. */
  function planInOrder(tasks: readonly [ModuleDefinition, unknown, ProbeResult][]): Plan[] {
    const effects: Effect[] = [];
    return tasks.map(([module, args, output]) => {
      const plan = planAfter(module, args, effects, { bridge: output, port: output, link: output });
      if (plan.kind === "unknown") throw new Error(`${module.name}: unknown`);
      if (plan.kind === "change") effects.push(...(plan.effects ?? []));
      return plan;
    });
  }
  const NO_BR_PHY = capturedProbe("ip-wanted.json");

  it("a new bridge is a link: its address and up state plan instead of failing", () => {
    const plans = planInOrder([
      [ovsBridge, { bridge: "br-phy", datapath_type: "netdev", fail_mode: "standalone" }, EMPTY],
      [ovsPort, { bridge: "br-phy", port: "eth1" }, EMPTY],
      [ipLinkModule, { name: "br-phy", address: "10.99.0.1/24", exclusive: true, state: "up" }, NO_BR_PHY],
    ]);
    expect(plans.map((plan) => plan.kind)).toEqual(["change", "change", "change"]);
    expect(stepsOf(plans[2] as Plan).map(goldenStep)).toEqual([["ip", "addr", "add", "10.99.0.1/24", "dev", "br-phy"], ["ip", "link", "set", "dev", "br-phy", "up"]]);
  });

  it("what was predicted is as wanted the second time", () => {
    const plans = planInOrder([
      [ovsBridge, { bridge: "br-tun", datapath_type: "netdev", mtu_request: 1450 }, EMPTY],
      [ovsBridge, { bridge: "br-tun", datapath_type: "netdev", mtu_request: 1450 }, EMPTY],
      [ovsPort, vxlan("h2"), EMPTY],
      [ovsPort, vxlan("h2"), EMPTY],
      [ovsPorts, { bridge: "br-tun", type: "vxlan", name_prefix: "vx-", keep: ["h2"] }, EMPTY],
      [ipLinkModule, { name: "veth-a", kind: "veth", peer: "veth-b", mtu: 1450, state: "up" }, NO_BR_PHY],
      [ipLinkModule, { name: "veth-b", mtu: 1450, state: "up" }, NO_BR_PHY],
      [ipLinkModule, { name: "veth-b", mtu: 1450, state: "up" }, NO_BR_PHY],
      [ovsPort, { bridge: "br-tun", port: "veth-b" }, EMPTY],
    ]);
    expect(plans.map((plan) => plan.kind)).toEqual(["change", "ok", "change", "ok", "ok", "change", "change", "ok", "change"]);
  });

  it("a deleted bridge takes its ports and its link", () => {
    const plans = planInOrder([
      [ovsBridge, { bridge: "br-tun", state: "absent" }, WANTED],
      [ovsPort, vxlan("h2", { state: "absent" }), WANTED],
      [ovsPorts, { bridge: "br-tun", keep: [] }, WANTED],
      [ipLinkModule, { name: "br-tun", state: "absent" }, NO_BR_PHY],
    ]);
    expect(plans.map((plan) => plan.kind)).toEqual(["change", "ok", "ok", "ok"]);
  });

  it("declares the bridge, its link and a port as things", () => {
    const [bridge, port] = planInOrder([
      [ovsBridge, { bridge: "br-phy", datapath_type: "netdev" }, EMPTY],
      [ovsPort, { bridge: "br-phy", port: "eth1" }, EMPTY],
    ]);
    const subjects = (plan: Plan | undefined) => (plan?.kind === "change" ? (plan.effects ?? []).map((effect) => (effect.kind === "thing" ? effect.subject : effect.kind)) : []);
    expect(subjects(bridge)).toEqual(["ovs-bridge:br-phy", "link:br-phy"]);
    expect(subjects(port)).toEqual(["ovs-port:br-phy/eth1"]);
  });
});
