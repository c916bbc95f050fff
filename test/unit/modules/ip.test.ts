import { describe, expect, it } from "vitest";
import { ipLinkModule } from "../../../src/modules/ip-link.js";
import { ipRoute } from "../../../src/modules/ip-route.js";
import { probeKey } from "../../../src/executor/probe-cache.js";
import { parseLinks, parseRoutes } from "../../../src/modules/support/ip-json.js";
import type { Probe } from "../../../src/modules/types.js";
import { effectsOf, factsOf, fakeContext, ok, planAfter, rc, runGolden, type GoldenCase } from "./helpers.js";
import { capturedProbe } from "./probe-fixtures.js";
import { describeSchemaCases } from "./schema-cases.js";

// `ip -j -d addr show` as captured on a lab host (see test/fixtures/probes/README.md).
const WANTED = capturedProbe("ip-wanted.json");
const DRIFTED = capturedProbe("ip-drifted.json");
const NO_IP = rc(127, "", "sh: 1: ip: not found\n");

const linkCases: GoldenCase[] = [
  {
    name: "creates a veth pair, enslaves it and brings it up",
    args: { name: "veth-new", kind: "veth", peer: "veth-new-ovs", master: "cbr0", state: "up" },
    probes: [WANTED],
    expect: {
      probeCount: 1,
      steps: [
        ["ip", "link", "add", "veth-new", "type", "veth", "peer", "name", "veth-new-ovs"],
        ["ip", "link", "set", "dev", "veth-new", "master", "cbr0"],
        ["ip", "link", "set", "dev", "veth-new", "up"],
      ],
    },
  },
  { name: "veth as wanted: nothing", args: { name: "veth-docker", kind: "veth", peer: "veth-ovs", master: "cbr0", mtu: 1450, state: "up" }, probes: [WANTED], expect: { steps: [] } },
  {
    name: "veth with another peer is re-created",
    args: { name: "veth-docker", kind: "veth", peer: "veth-tun", state: "present" },
    probes: [WANTED],
    expect: { steps: [["ip", "link", "del", "dev", "veth-docker"], ["ip", "link", "add", "veth-docker", "type", "veth", "peer", "name", "veth-tun"]] },
  },
  { name: "the other end brought up", args: { name: "veth-ovs", mtu: "1450", state: "up" }, probes: [DRIFTED], expect: { steps: [["ip", "link", "set", "dev", "veth-ovs", "up"]] } },
  {
    name: "creates a vxlan with the IANA port by default",
    args: { name: "vx1", kind: "vxlan", vxlan_id: 43, remote: "10.99.0.2", local: "10.99.0.1", dev: "br-phy", state: "up" },
    probes: [WANTED],
    expect: {
      steps: [
        ["ip", "link", "add", "vx1", "type", "vxlan", "id", "43", "remote", "10.99.0.2", "local", "10.99.0.1", "dstport", "4789", "dev", "br-phy"],
        ["ip", "link", "set", "dev", "vx1", "up"],
      ],
    },
  },
  { name: "vxlan as wanted (down is left down with present)", args: { name: "vx0", kind: "vxlan", vxlan_id: "42", remote: "10.99.0.2", local: "10.99.0.1", dev: "br-phy" }, probes: [WANTED], expect: { steps: [] } },
  {
    name: "vxlan with a changed remote is re-created",
    args: { name: "vx0", kind: "vxlan", vxlan_id: 42, remote: "10.99.0.3", local: "10.99.0.1", dev: "br-phy", state: "up" },
    probes: [WANTED],
    expect: {
      steps: [
        ["ip", "link", "del", "dev", "vx0"],
        ["ip", "link", "add", "vx0", "type", "vxlan", "id", "42", "remote", "10.99.0.3", "local", "10.99.0.1", "dstport", "4789", "dev", "br-phy"],
        ["ip", "link", "set", "dev", "vx0", "up"],
      ],
    },
  },
  {
    name: "bridge: mtu and a missing address; other addresses kept without exclusive",
    args: { name: "cbr0", kind: "bridge", mtu: 1450, address: "172.17.30.1/24", state: "up" },
    probes: [DRIFTED],
    expect: { steps: [["ip", "link", "set", "dev", "cbr0", "mtu", "1450"], ["ip", "addr", "add", "172.17.30.1/24", "dev", "cbr0"]] },
  },
  {
    name: "exclusive removes other addresses, link-local kept",
    args: { name: "cbr0", kind: "bridge", address: ["172.17.20.1/24"], exclusive: true, mtu: 1500 },
    probes: [DRIFTED],
    expect: { steps: [["ip", "addr", "del", "10.9.9.9/8", "dev", "cbr0"]] },
  },
  {
    name: "exclusive replaces the address",
    args: { name: "cbr0", address: ["172.17.21.1/24"], exclusive: true },
    probes: [WANTED],
    expect: { steps: [["ip", "addr", "del", "172.17.20.1/24", "dev", "cbr0"], ["ip", "addr", "add", "172.17.21.1/24", "dev", "cbr0"]] },
  },
  { name: "exclusive with the right address: nothing", args: { name: "cbr0", address: ["172.17.20.1/24"], exclusive: true, mtu: 1450, state: "up" }, probes: [WANTED], expect: { steps: [] } },
  { name: "address: [] exclusive empties a NIC", args: { name: "eth1", address: [], exclusive: true, state: "up" }, probes: [DRIFTED], expect: { steps: [["ip", "addr", "del", "10.140.0.11/24", "dev", "eth1"]] } },
  { name: "a NIC without addresses: nothing", args: { name: "eth1", address: [], exclusive: true, state: "up" }, probes: [WANTED], expect: { steps: [] } },
  { name: "down", args: { name: "cbr0", state: "down" }, probes: [WANTED], expect: { steps: [["ip", "link", "set", "dev", "cbr0", "down"]] } },
  { name: "absent deletes", args: { name: "cbr0", state: "absent" }, probes: [WANTED], expect: { steps: [["ip", "link", "del", "dev", "cbr0"]] } },
  { name: "absent and missing: nothing", args: { name: "br0", state: "absent" }, probes: [WANTED], expect: { steps: [] } },
  { name: "missing without kind fails", args: { name: "eth9", state: "up" }, probes: [WANTED], expect: { failed: /eth9 does not exist/ } },
  { name: "a device of no kind is not a bridge", args: { name: "lo", kind: "bridge" }, probes: [WANTED], expect: { failed: /exists as a device, not a bridge/ } },
  { name: "a veth is not a bridge", args: { name: "eth1", kind: "bridge" }, probes: [WANTED], expect: { failed: /exists as a veth, not a bridge/ } },
  { name: "ip missing fails clearly", args: { name: "br0" }, probes: [NO_IP], expect: { failed: /^ip failed: sh: 1: ip: not found$/ } },
  { name: "output that is not ip's JSON fails", args: { name: "br0" }, probes: [ok("Usage: ip [ OPTIONS ] OBJECT\n")], expect: { failed: /^ip gave unreadable output/ } },
];

describe("ip_link", () => {
  it.each(linkCases)("$name", (golden) => {
    runGolden(ipLinkModule, golden);
  });
  it("every ip_link task probes with the identical argv, so the batch runs it once", () => {
    const probesOf = (args: unknown): Probe[] => factsOf(ipLinkModule, ipLinkModule.schema.parse(args), fakeContext());
    const [first] = probesOf({ name: "cbr0", kind: "bridge", state: "up" });
    const [second] = probesOf({ name: "veth-ovs", mtu: 1450 });
    expect(probeKey(first as Probe, undefined, { connection: "ssh", user: "root" })).toBe(probeKey(second as Probe, undefined, { connection: "ssh", user: "root" }));
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
  { name: "a silent ip failure names its exit code", args: { dest: "10.7.0.0/16", dev: "e0" }, probes: [rc(2)], expect: { failed: /^ip route failed: exit 2$/ } },
];

describe("ip_route", () => {
  it.each(routeCases)("$name", (golden) => {
    runGolden(ipRoute, golden);
  });
});

describe("ip_route in check mode", () => {
  it("declares the route, and a later task reads it instead of the host", () => {
    const added = runGolden(ipRoute, { name: "add", args: { dest: "172.17.40.1/24", dev: "docker0" }, probes: [ok(routes)], expect: { effects: [{ kind: "thing", subject: "route:172.17.40.0/24", after: [{ dest: "172.17.40.0/24", via: undefined, dev: "docker0", metric: 0 }] }] } });
    const effects = effectsOf(added);
    expect(planAfter(ipRoute, { dest: "172.17.40.0/24", dev: "docker0" }, effects, { routes: ok(routes) })).toMatchObject({ kind: "ok" });
    expect(planAfter(ipRoute, { dest: "172.17.40.0/24", state: "absent" }, effects, { routes: ok(routes) })).toMatchObject({ kind: "change", effects: [{ subject: "route:172.17.40.0/24", after: [] }] });
  });
});

describeSchemaCases("ip_route", [
  { name: "present needs via or dev", args: { dest: "10.0.0.0/8" }, issues: [{ path: ["via"], message: /needs 'via' or 'dev'/ }] },
  { name: "bad dest", args: { dest: "somewhere", dev: "eth0" }, issues: [{ path: ["dest"], message: /expected 'default' or a network/ }] },
]);

describe("iproute2 JSON parsers", () => {
  const links = new Map(parseLinks(WANTED.stdout).map((link) => [link.name, link]));
  it("reads a vxlan's tunnel settings", () => {
    expect(links.get("vx0")).toMatchObject({ kind: "vxlan", up: false, mtu: 1450, vxlan: { id: 42, remote: "10.99.0.2", local: "10.99.0.1", dstport: 4789, dev: "br-phy" } });
  });
  it("reads a veth's peer and master, and no kind for a device without linkinfo", () => {
    expect(links.get("veth-docker")).toMatchObject({ kind: "veth", peer: "veth-ovs", master: "cbr0", up: true, mtu: 1450 });
    expect(links.get("lo")).toMatchObject({ kind: "", peer: undefined, master: undefined });
  });
  it("reads every link's addresses, without IPv6 link-local ones", () => {
    expect(links.get("br-phy")?.addresses).toEqual(["10.99.0.1/24"]);
    expect(links.get("lo")?.addresses).toEqual(["127.0.0.1/8", "::1/128"]);
    expect(links.get("veth-ovs")?.addresses).toEqual([]);
    expect(links.size).toBe(12);
  });
  it("normalises host routes", () => {
    expect(parseRoutes(routes).map((route) => route.dest)).toEqual(["default", "10.1.0.0/24", "10.8.0.1/32", "10.9.0.0/16", "172.17.30.0/24"]);
  });
});
