import { describe, expect, it } from "vitest";
import { ovsBridge } from "../../../src/modules/ovs-bridge.js";
import { ovsPort } from "../../../src/modules/ovs-port.js";
import { ovsPorts } from "../../../src/modules/ovs-ports.js";
import { ovsQuote, parseOvsTable } from "../../../src/modules/support/ovs.js";
import { ok, rc, runGolden, type GoldenCase } from "./helpers.js";
import { describeSchemaCases } from "./schema-cases.js";

// ovs-vsctl 3.1 --format=json output, as captured.
const table = (headings: string[], ...rows: unknown[][]) => ok(JSON.stringify({ data: rows, headings }));
const noRow = (table: string, name: string) => rc(1, "", `ovs-vsctl: no row "${name}" in table ${table}\n`);
const EMPTY = ["set", []];
const map = (entries: Record<string, string>) => ["map", Object.entries(entries)];

const BRIDGE = ["name", "datapath_type", "fail_mode", "other_config", "rstp_enable", "stp_enable"];
const bridgeRow = (datapath = "", failMode: unknown = EMPTY, other: Record<string, string> = {}, rstp = false) => table(BRIDGE, ["br-tun", datapath, failMode, map(other), rstp, false]);
const bridgeMtu = (mtu: unknown = EMPTY) => table(["name", "mtu_request"], ["br-tun", mtu]);

const bridgeCases: GoldenCase[] = [
  {
    name: "creates a netdev bridge with its settings in one transaction",
    args: { bridge: "br-tun", datapath_type: "netdev", rstp_enable: true, mtu_request: 1450 },
    probes: [noRow("Bridge", "br-tun"), noRow("Interface", "br-tun")],
    expect: {
      probeCount: 2,
      steps: [["ovs-vsctl", "--may-exist", "add-br", "br-tun", "--", "set", "bridge", "br-tun", "datapath_type=netdev", "rstp_enable=true", "--", "set", "interface", "br-tun", "mtu_request=1450"]],
    },
  },
  { name: "a plain new bridge", args: { bridge: "br-tun" }, probes: [noRow("Bridge", "br-tun"), noRow("Interface", "br-tun")], expect: { steps: [["ovs-vsctl", "--may-exist", "add-br", "br-tun"]] } },
  { name: "as wanted: nothing", args: { bridge: "br-tun", datapath_type: "netdev", rstp_enable: "yes", mtu_request: 1450 }, probes: [bridgeRow("netdev", EMPTY, {}, true), bridgeMtu(1450)], expect: { steps: [] } },
  { name: "unset columns mean system, standalone, off", args: { bridge: "br-tun", datapath_type: "system", fail_mode: "standalone", stp_enable: false }, probes: [bridgeRow(), bridgeMtu()], expect: { steps: [] } },
  {
    name: "sets only what differs",
    args: { bridge: "br-tun", datapath_type: "netdev", fail_mode: "secure", other_config: { "rstp-priority": 4096, "mac-aging-time": "300" } },
    probes: [bridgeRow("netdev", EMPTY, { "mac-aging-time": "300", other: "kept" }), bridgeMtu()],
    expect: { steps: [["ovs-vsctl", "--may-exist", "add-br", "br-tun", "--", "set", "bridge", "br-tun", "fail_mode=secure", "other_config:rstp-priority=4096"]] },
  },
  { name: "only the mtu", args: { bridge: "br-tun", mtu_request: 1450 }, probes: [bridgeRow(), bridgeMtu(1500)], expect: { steps: [["ovs-vsctl", "--may-exist", "add-br", "br-tun", "--", "set", "interface", "br-tun", "mtu_request=1450"]] } },
  { name: "absent deletes", args: { bridge: "br-tun", state: "absent" }, probes: [bridgeRow(), bridgeMtu()], expect: { steps: [["ovs-vsctl", "--if-exists", "del-br", "br-tun"]] } },
  { name: "absent and missing: nothing", args: { bridge: "br-tun", state: "absent" }, probes: [noRow("Bridge", "br-tun"), noRow("Interface", "br-tun")], expect: { steps: [] } },
  {
    name: "database down fails with a hint",
    args: { bridge: "br-tun" },
    probes: [rc(1, "", "ovs-vsctl: unix:/var/run/openvswitch/db.sock: database connection failed (No such file or directory)"), rc(1)],
    expect: { failed: /database connection failed/ },
  },
];

describe("ovs_bridge", () => {
  it.each(bridgeCases)("$name", (golden) => {
    runGolden(ovsBridge, golden);
  });
});

const IFACE = ["name", "type", "options", "mtu_request"];
const iface = (type: string, options: Record<string, string>, mtu: unknown = EMPTY) => table(IFACE, ["vx-h2", type, map(options), mtu]);
const port = (isProtected = false) => table(["name", "protected"], ["vx-h2", isProtected]);
const onBridge = (bridge: string) => ok(`${bridge}\n`);
const noPort = () => rc(1, "", "ovs-vsctl: no port named vx-h2\n");
const vxlan = { bridge: "br-tun", port: "vx-h2", type: "vxlan", options: { remote_ip: "10.140.0.12", key: 42 }, protected: true };

const portCases: GoldenCase[] = [
  {
    name: "adds a protected vxlan port in one transaction",
    args: vxlan,
    probes: [noPort(), noRow("Interface", "vx-h2"), noRow("Port", "vx-h2")],
    expect: {
      probeCount: 3,
      steps: [["ovs-vsctl", "add-port", "br-tun", "vx-h2", "--", "set", "interface", "vx-h2", "type=vxlan", "options:remote_ip=10.140.0.12", "options:key=42", "--", "set", "port", "vx-h2", "protected=true"]],
    },
  },
  { name: "as wanted: nothing", args: vxlan, probes: [onBridge("br-tun"), iface("vxlan", { key: "42", remote_ip: "10.140.0.12" }), port(true)], expect: { steps: [] } },
  {
    name: "a changed remote_ip is corrected with set interface",
    args: vxlan,
    probes: [onBridge("br-tun"), iface("vxlan", { key: "42", remote_ip: "10.140.0.99" }), port(true)],
    expect: { steps: [["ovs-vsctl", "set", "interface", "vx-h2", "options:remote_ip=10.140.0.12"]] },
  },
  {
    name: "options not listed are removed",
    args: { ...vxlan, options: { remote_ip: "10.140.0.12" }, protected: undefined },
    probes: [onBridge("br-tun"), iface("vxlan", { key: "42", remote_ip: "10.140.0.12" }), port(true)],
    expect: { steps: [["ovs-vsctl", "remove", "interface", "vx-h2", "options", "key"]] },
  },
  {
    name: "a port on another bridge is moved",
    args: { bridge: "br-tun", port: "veth-ovs" },
    probes: [onBridge("br-int"), table(IFACE, ["veth-ovs", "", map({}), EMPTY]), table(["name", "protected"], ["veth-ovs", false])],
    expect: { steps: [["ovs-vsctl", "del-port", "br-int", "veth-ovs", "--", "add-port", "br-tun", "veth-ovs"]] },
  },
  { name: "a system port as wanted (type '' is system)", args: { bridge: "br-tun", port: "veth-ovs" }, probes: [onBridge("br-tun"), table(IFACE, ["veth-ovs", "", map({}), EMPTY]), port()], expect: { steps: [] } },
  { name: "type and mtu corrected", args: { bridge: "br-tun", port: "vx-h2", type: "internal", mtu_request: 1450 }, probes: [onBridge("br-tun"), iface("", {}), port()], expect: { steps: [["ovs-vsctl", "set", "interface", "vx-h2", "type=internal", "mtu_request=1450"]] } },
  { name: "absent deletes with --if-exists", args: { bridge: "br-tun", port: "vx-h2", state: "absent" }, probes: [onBridge("br-tun"), iface("vxlan", {}), port()], expect: { steps: [["ovs-vsctl", "--if-exists", "del-port", "br-tun", "vx-h2"]] } },
  { name: "absent, on another bridge: nothing", args: { bridge: "br-tun", port: "vx-h2", state: "absent" }, probes: [onBridge("br-int"), iface("vxlan", {}), port()], expect: { steps: [] } },
  { name: "absent and missing: nothing", args: { bridge: "br-tun", port: "vx-h2", state: "absent" }, probes: [noPort(), noRow("Interface", "vx-h2"), noRow("Port", "vx-h2")], expect: { steps: [] } },
];

describe("ovs_port", () => {
  it.each(portCases)("$name", (golden) => {
    runGolden(ovsPort, golden);
  });
});

const ports = (...names: string[]) => ok(names.map((name) => `${name}\n`).join(""));
const types = table(["name", "type"], ["vx-h2", "vxlan"], ["vx-h3", "vxlan"], ["vx-h4", "vxlan"], ["veth-ovs", ""], ["br-tun", "internal"], ["vx-local", "internal"]);

const prunePlans: GoldenCase[] = [
  {
    name: "deletes the tunnels of nodes that left",
    args: { bridge: "br-tun", type: "vxlan", name_prefix: "vx-", keep: ["h1", "h2", "h3"] },
    probes: [ports("veth-ovs", "vx-h2", "vx-h3", "vx-h4", "vx-local"), types],
    expect: { probeCount: 2, steps: [["ovs-vsctl", "--if-exists", "del-port", "br-tun", "vx-h4"]] },
  },
  { name: "nothing to delete", args: { bridge: "br-tun", type: "vxlan", name_prefix: "vx-", keep: "h1,h2,h3,h4" }, probes: [ports("veth-ovs", "vx-h2", "vx-h3", "vx-h4"), types], expect: { steps: [] } },
  {
    name: "several in one transaction; other types and prefixes are safe",
    args: { bridge: "br-tun", type: "vxlan", name_prefix: "vx-", keep: [] },
    probes: [ports("veth-ovs", "vx-h2", "vx-h3", "vx-local"), types],
    expect: { steps: [["ovs-vsctl", "--if-exists", "del-port", "br-tun", "vx-h2", "--", "--if-exists", "del-port", "br-tun", "vx-h3"]] },
  },
  { name: "no bridge: nothing", args: { bridge: "br-tun", keep: [] }, probes: [rc(1, "", "ovs-vsctl: no bridge named br-tun\n"), types], expect: { steps: [] } },
];

describe("ovs_ports", () => {
  it.each(prunePlans)("$name", (golden) => {
    runGolden(ovsPorts, golden);
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
