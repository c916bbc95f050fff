import { describe, expect, it } from "vitest";
import { ipLinkModule } from "../../../src/modules/ip-link.js";
import { ipRoute } from "../../../src/modules/ip-route.js";
import { parseAddresses, parseLink, parseRoutes } from "../../../src/modules/support/ip-json.js";
import { ok, rc, runGolden, type GoldenCase } from "./helpers.js";
import { describeSchemaCases } from "./schema-cases.js";

// Captured from iproute2 6.1 (Debian 12), trimmed of fields the modules ignore.
const vxlanLink = (info: Record<string, unknown> = {}, flags = ["BROADCAST", "MULTICAST"]) =>
  JSON.stringify([{ ifindex: 4, ifname: "vx0", flags, mtu: 1450, linkinfo: { info_kind: "vxlan", info_data: { id: 42, remote: "10.1.0.2", local: "10.1.0.1", link: "e0", port: 4789, ...info } } }]);
const vethLink = (extra: Record<string, unknown> = {}) =>
  JSON.stringify([{ ifindex: 4, link: "veth-ovs", ifname: "veth-docker", flags: ["BROADCAST", "MULTICAST", "UP", "LOWER_UP"], mtu: 1500, master: "docker0", linkinfo: { info_kind: "veth", info_slave_kind: "bridge" }, ...extra }]);
const bridgeLink = (flags = ["NO-CARRIER", "BROADCAST", "MULTICAST", "UP"], mtu = 1450) =>
  JSON.stringify([{ ifindex: 2, ifname: "br0", flags, mtu, linkinfo: { info_kind: "bridge", info_data: { stp_state: 0 } } }]);
const nicLink = JSON.stringify([{ ifindex: 3, link: null, ifname: "eth1", flags: ["BROADCAST", "MULTICAST", "UP", "LOWER_UP"], mtu: 1500 }]);
const addrs = (name: string, ...cidrs: string[]) =>
  JSON.stringify([
    {
      ifname: name,
      addr_info: [
        ...cidrs.map((cidr) => ({ family: cidr.includes(":") ? "inet6" : "inet", local: cidr.split("/")[0], prefixlen: Number(cidr.split("/")[1]), scope: "global" })),
        { family: "inet6", local: "fe80::344b:38ff:feba:2a8e", prefixlen: 64, scope: "link" },
      ],
    },
  ]);
const missing = (name: string) => rc(1, "", `Device "${name}" does not exist.\n`);

const linkCases: GoldenCase[] = [
  {
    name: "creates a veth pair, enslaves it and brings it up",
    args: { name: "veth-docker", kind: "veth", peer: "veth-ovs", master: "docker0", state: "up" },
    probes: [missing("veth-docker"), missing("veth-docker")],
    expect: {
      probeCount: 2,
      steps: [
        ["ip", "link", "add", "veth-docker", "type", "veth", "peer", "name", "veth-ovs"],
        ["ip", "link", "set", "dev", "veth-docker", "master", "docker0"],
        ["ip", "link", "set", "dev", "veth-docker", "up"],
      ],
    },
  },
  { name: "veth as wanted: nothing", args: { name: "veth-docker", kind: "veth", peer: "veth-ovs", master: "docker0", state: "up" }, probes: [ok(vethLink()), ok(addrs("veth-docker"))], expect: { steps: [] } },
  {
    name: "veth with another peer is re-created",
    args: { name: "veth-docker", kind: "veth", peer: "veth-ovs", state: "present" },
    probes: [ok(vethLink({ link: "old-peer" })), ok(addrs("veth-docker"))],
    expect: { steps: [["ip", "link", "del", "dev", "veth-docker"], ["ip", "link", "add", "veth-docker", "type", "veth", "peer", "name", "veth-ovs"]] },
  },
  {
    name: "creates a vxlan with the IANA port by default",
    args: { name: "vx0", kind: "vxlan", vxlan_id: 42, remote: "10.1.0.2", local: "10.1.0.1", dev: "e0", state: "up" },
    probes: [missing("vx0"), missing("vx0")],
    expect: {
      steps: [
        ["ip", "link", "add", "vx0", "type", "vxlan", "id", "42", "remote", "10.1.0.2", "local", "10.1.0.1", "dstport", "4789", "dev", "e0"],
        ["ip", "link", "set", "dev", "vx0", "up"],
      ],
    },
  },
  { name: "vxlan as wanted (down is left down with present)", args: { name: "vx0", kind: "vxlan", vxlan_id: "42", remote: "10.1.0.2", local: "10.1.0.1", dev: "e0" }, probes: [ok(vxlanLink()), ok(addrs("vx0"))], expect: { steps: [] } },
  {
    name: "vxlan with a changed remote is re-created",
    args: { name: "vx0", kind: "vxlan", vxlan_id: 42, remote: "10.1.0.3", local: "10.1.0.1", dev: "e0", state: "up" },
    probes: [ok(vxlanLink({}, ["UP"])), ok(addrs("vx0"))],
    expect: {
      steps: [
        ["ip", "link", "del", "dev", "vx0"],
        ["ip", "link", "add", "vx0", "type", "vxlan", "id", "42", "remote", "10.1.0.3", "local", "10.1.0.1", "dstport", "4789", "dev", "e0"],
        ["ip", "link", "set", "dev", "vx0", "up"],
      ],
    },
  },
  {
    name: "bridge: mtu and a missing address; other addresses kept without exclusive",
    args: { name: "br0", kind: "bridge", mtu: 1400, address: "172.17.20.1/24", state: "up" },
    probes: [ok(bridgeLink()), ok(addrs("br0", "10.9.9.9/8"))],
    expect: { steps: [["ip", "link", "set", "dev", "br0", "mtu", "1400"], ["ip", "addr", "add", "172.17.20.1/24", "dev", "br0"]] },
  },
  {
    name: "exclusive replaces other addresses, link-local kept",
    args: { name: "br0", address: ["172.17.20.1/24"], exclusive: true },
    probes: [ok(bridgeLink()), ok(addrs("br0", "172.17.0.1/16"))],
    expect: { steps: [["ip", "addr", "del", "172.17.0.1/16", "dev", "br0"], ["ip", "addr", "add", "172.17.20.1/24", "dev", "br0"]] },
  },
  { name: "exclusive with the right address: nothing", args: { name: "br0", address: ["172.17.20.1/24"], exclusive: true }, probes: [ok(bridgeLink()), ok(addrs("br0", "172.17.20.1/24"))], expect: { steps: [] } },
  { name: "address: [] exclusive empties a NIC", args: { name: "eth1", address: [], exclusive: true }, probes: [ok(nicLink), ok(addrs("eth1", "10.140.0.11/24"))], expect: { steps: [["ip", "addr", "del", "10.140.0.11/24", "dev", "eth1"]] } },
  { name: "down", args: { name: "br0", state: "down" }, probes: [ok(bridgeLink()), ok(addrs("br0"))], expect: { steps: [["ip", "link", "set", "dev", "br0", "down"]] } },
  { name: "absent deletes", args: { name: "br0", state: "absent" }, probes: [ok(bridgeLink()), ok(addrs("br0"))], expect: { steps: [["ip", "link", "del", "dev", "br0"]] } },
  { name: "absent and missing: nothing", args: { name: "br0", state: "absent" }, probes: [missing("br0"), missing("br0")], expect: { steps: [] } },
  { name: "missing without kind fails", args: { name: "eth9", state: "up" }, probes: [missing("eth9"), missing("eth9")], expect: { failed: /eth9 does not exist/ } },
  { name: "a different kind fails", args: { name: "eth1", kind: "bridge" }, probes: [ok(nicLink), ok(addrs("eth1"))], expect: { failed: /exists as a device, not a bridge/ } },
  { name: "ip missing fails clearly", args: { name: "br0" }, probes: [rc(127, "", "sh: ip: not found"), rc(127, "", "sh: ip: not found")], expect: { failed: /ip failed: sh: ip: not found/ } },
];

describe("ip_link", () => {
  it.each(linkCases)("$name", (golden) => {
    runGolden(ipLinkModule, golden);
  });
});

describeSchemaCases("ip_link", [
  { name: "veth without peer", args: { name: "v0", kind: "veth" }, issues: [{ path: ["peer"], message: /needs 'peer'/ }] },
  { name: "vxlan without id", args: { name: "vx0", kind: "vxlan" }, issues: [{ path: ["vxlan_id"], message: /needs 'vxlan_id'/ }] },
  { name: "vxlan field on a bridge", args: { name: "br0", kind: "bridge", remote: "10.0.0.1" }, issues: [{ path: ["remote"], message: /only for kind vxlan/ }] },
  { name: "name too long", args: { name: "a-very-long-interface" }, issues: [{ path: ["name"], message: /1-15 characters/ }] },
  { name: "address without prefix", args: { name: "br0", address: "10.0.0.1" }, issues: [{ path: ["address"], message: /with their prefix/ }] },
  { name: "exclusive without address", args: { name: "br0", exclusive: true }, issues: [{ path: ["exclusive"], message: /needs 'address'/ }] },
  { name: "unknown state", args: { name: "br0", state: "running" }, issues: [{ path: ["state"], message: /got string 'running'/ }] },
]);

const routes = JSON.stringify([
  { dst: "default", gateway: "10.1.0.254", dev: "e0", flags: [] },
  { dst: "10.1.0.0/24", dev: "e0", protocol: "kernel", scope: "link", prefsrc: "10.1.0.1", flags: [] },
  { dst: "10.8.0.1", gateway: "10.1.0.254", dev: "e0", flags: [] },
  { dst: "10.9.0.0/16", gateway: "10.1.0.254", dev: "e0", metric: 100, flags: [] },
  { dst: "172.17.30.0/24", dev: "docker0", scope: "link", flags: ["linkdown"] },
]);

const routeCases: GoldenCase[] = [
  { name: "device route present", args: { dest: "172.17.30.0/24", dev: "docker0" }, probes: [ok(routes)], expect: { probeCount: 1, steps: [] } },
  { name: "a bridge address names its subnet", args: { dest: "172.17.30.1/24", dev: "docker0" }, probes: [ok(routes)], expect: { steps: [] } },
  { name: "device route added", args: { dest: "172.17.40.0/24", dev: "docker0" }, probes: [ok(routes)], expect: { steps: [["ip", "route", "replace", "172.17.40.0/24", "dev", "docker0"]] } },
  { name: "route on another device corrected", args: { dest: "172.17.30.0/24", dev: "cbr0" }, probes: [ok(routes)], expect: { steps: [["ip", "route", "replace", "172.17.30.0/24", "dev", "cbr0"]] } },
  { name: "gateway route with metric present", args: { dest: "10.9.0.0/16", via: "10.1.0.254", metric: 100 }, probes: [ok(routes)], expect: { steps: [] } },
  { name: "same dest, other metric: a new route", args: { dest: "10.9.0.0/16", via: "10.1.0.254" }, probes: [ok(routes)], expect: { steps: [["ip", "route", "replace", "10.9.0.0/16", "via", "10.1.0.254"]] } },
  { name: "host route /32 matches iproute2's bare address", args: { dest: "10.8.0.1/32", via: "10.1.0.254" }, probes: [ok(routes)], expect: { steps: [] } },
  { name: "default route with another gateway replaced", args: { dest: "default", via: "10.1.0.1" }, probes: [ok(routes)], expect: { steps: [["ip", "route", "replace", "default", "via", "10.1.0.1"]] } },
  { name: "absent deletes every metric", args: { dest: "10.9.0.0/16", state: "absent" }, probes: [ok(routes)], expect: { steps: [["ip", "route", "del", "10.9.0.0/16", "metric", "100"]] } },
  { name: "absent and missing: nothing", args: { dest: "10.7.0.0/16", state: "absent" }, probes: [ok(routes)], expect: { steps: [] } },
  { name: "ip failure fails", args: { dest: "10.7.0.0/16", dev: "e0" }, probes: [rc(1, "", "RTNETLINK answers: Operation not permitted")], expect: { failed: /Operation not permitted/ } },
];

describe("ip_route", () => {
  it.each(routeCases)("$name", (golden) => {
    runGolden(ipRoute, golden);
  });
});

describeSchemaCases("ip_route", [
  { name: "present needs via or dev", args: { dest: "10.0.0.0/8" }, issues: [{ path: ["via"], message: /needs 'via' or 'dev'/ }] },
  { name: "bad dest", args: { dest: "somewhere", dev: "eth0" }, issues: [{ path: ["dest"], message: /expected 'default' or a network/ }] },
]);

describe("iproute2 JSON parsers", () => {
  it("reads a vxlan's tunnel settings", () => {
    expect(parseLink(vxlanLink())).toMatchObject({ kind: "vxlan", up: false, mtu: 1450, vxlan: { id: 42, remote: "10.1.0.2", local: "10.1.0.1", dstport: 4789, dev: "e0" } });
  });
  it("reads a veth's peer and master, and no kind for a plain NIC", () => {
    expect(parseLink(vethLink())).toMatchObject({ kind: "veth", peer: "veth-ovs", master: "docker0", up: true });
    expect(parseLink(nicLink)).toMatchObject({ kind: "", peer: undefined });
  });
  it("drops IPv6 link-local addresses and normalises host routes", () => {
    expect(parseAddresses(addrs("br0", "172.17.20.1/24", "FD00::1/64"))).toEqual(["172.17.20.1/24", "fd00::1/64"]);
    expect(parseRoutes(routes).map((route) => route.dest)).toEqual(["default", "10.1.0.0/24", "10.8.0.1/32", "10.9.0.0/16", "172.17.30.0/24"]);
  });
});
