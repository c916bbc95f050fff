import { describe, expect, it } from "vitest";
import { ParseError, OptionsError } from "../../../src/errors.js";
import type { InventoryHostEntry } from "../../../src/lab/inventory-reader.js";
import { formatAddress, parseSubnet } from "../../../src/lab/ipv4.js";
import { generatedHosts, inventoryHosts } from "../../../src/lab/plan.js";

const lab = parseSubnet("10.88.0.0/24")!;
const underlay = parseSubnet("10.128.0.0/24")!;
const where = { file: "inv.yaml", line: 3, column: 5 };
const entry = (name: string, address: string | undefined, groups: string[] = ["web"]): InventoryHostEntry => ({ name, address, groups, where });

describe("generatedHosts", () => {
  it("numbers hosts h1..hN from .11, group lab, with underlay addresses", () => {
    const hosts = generatedHosts(3, lab, underlay);
    expect(hosts.map((h) => [h.name, formatAddress(h.address), formatAddress(h.underlayAddress!), h.groups])).toEqual([
      ["h1", "10.88.0.11", "10.128.0.11", ["lab"]],
      ["h2", "10.88.0.12", "10.128.0.12", ["lab"]],
      ["h3", "10.88.0.13", "10.128.0.13", ["lab"]],
    ]);
  });

  it.each([0, -1, 1.5, 245, 1024])("rejects --hosts %s", (count) => {
    expect(() => generatedHosts(count, lab)).toThrow(OptionsError);
  });

  it("rejects more hosts than the subnet holds", () => {
    expect(() => generatedHosts(10, parseSubnet("10.88.0.0/28")!)).toThrow(/do not fit/);
  });
});

describe("inventoryHosts", () => {
  it("takes only hosts whose ansible_host is in the subnet", () => {
    const hosts = inventoryHosts([entry("web1", "10.88.0.21"), entry("db", "192.168.1.5"), entry("nohost", undefined)], lab);
    expect(hosts.map((h) => h.name)).toEqual(["web1"]);
    expect(hosts[0]?.groups).toEqual(["web"]);
  });

  it.each([
    ["the machine's address", [entry("a", "10.88.0.1")], /machine's own address/],
    ["the network address", [entry("a", "10.88.0.0")], /network or broadcast/],
    ["the broadcast address", [entry("a", "10.88.0.255")], /network or broadcast/],
    ["a shared address", [entry("a", "10.88.0.20"), entry("b", "10.88.0.20")], /share the address/],
    ["a name that is no hostname", [entry("a b", "10.88.0.20")], /cannot be a hostname/],
  ])("rejects %s with the inventory location", (_, entries, message) => {
    let caught: unknown;
    try {
      inventoryHosts(entries, lab);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ParseError);
    expect((caught as ParseError).message).toMatch(message);
    expect((caught as ParseError).location).toEqual(where);
  });
});

describe("generatedHosts beyond a /24", () => {
  const fleet = parseSubnet("10.64.0.0/22")!;

  it("numbers 1,000 hosts across the /22's four /24s", () => {
    const hosts = generatedHosts(1000, fleet);
    expect(hosts).toHaveLength(1000);
    expect([245, 246, 1000].map((n) => formatAddress(hosts[n - 1]!.address))).toEqual(["10.64.0.255", "10.64.1.0", "10.64.3.242"]);
  });

  it("takes what the subnet holds and says how much that is", () => {
    expect(generatedHosts(1012, fleet)).toHaveLength(1012);
    expect(() => generatedHosts(1013, fleet)).toThrow(/10.64.0.0\/22 holds 1012 hosts from 10.64.0.11/);
  });

  it("stops at what one lab bridge can hold", () => {
    expect(() => generatedHosts(1024, parseSubnet("10.64.0.0/21")!)).toThrow(/bridge holds at most 1023/);
  });
});
