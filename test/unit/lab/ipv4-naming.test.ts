import { describe, expect, it } from "vitest";
import { contains, formatAddress, formatSubnet, isUsableHost, overlaps, parseAddress, parseSubnet } from "../../../src/lab/ipv4.js";
import { bridgeName, checkLabName, defaultSubnet, macFor, nftTableName, underlayBridgeName, underlaySubnet, vethName } from "../../../src/lab/naming.js";

const subnet = (text: string) => {
  const parsed = parseSubnet(text);
  if (!parsed) throw new Error(`bad subnet ${text}`);
  return parsed;
};

describe("ipv4", () => {
  it.each([
    ["10.88.0.1", 0x0a580001],
    ["255.255.255.255", 0xffffffff],
    ["0.0.0.0", 0],
  ])("parses %s", (text, value) => {
    expect(parseAddress(text)).toBe(value);
    expect(formatAddress(value)).toBe(text);
  });

  it.each(["10.88.0", "256.1.1.1", "a.b.c.d", "10.88.0.1.2", ""])("rejects address %j", (text) => {
    expect(parseAddress(text)).toBeUndefined();
  });

  it.each(["10.88.0.1/24", "10.88.0.0/33", "10.88.0.0", "10.88.0.0/24/1", "10.88.0.0/x"])("rejects subnet %j", (text) => {
    expect(parseSubnet(text)).toBeUndefined();
  });

  it("tests membership, usable hosts and overlap", () => {
    const lab = subnet("10.88.0.0/24");
    expect(contains(lab, parseAddress("10.88.0.255")!)).toBe(true);
    expect(contains(lab, parseAddress("10.88.1.0")!)).toBe(false);
    expect(isUsableHost(lab, parseAddress("10.88.0.0")!)).toBe(false);
    expect(isUsableHost(lab, parseAddress("10.88.0.255")!)).toBe(false);
    expect(isUsableHost(lab, parseAddress("10.88.0.11")!)).toBe(true);
    expect(overlaps(lab, subnet("10.0.0.0/8"))).toBe(true);
    expect(overlaps(lab, subnet("10.88.1.0/24"))).toBe(false);
    expect(overlaps(subnet("10.88.0.5/32"), lab)).toBe(true);
  });
});

describe("naming", () => {
  it("gives the default lab 10.88.0.0/24 and other labs another /24 in 10.88-10.127", () => {
    expect(formatSubnet(defaultSubnet("default"))).toBe("10.88.0.0/24");
    const names = ["itest", "tlab5", "a", "staging", "x-very-long-lab-name"];
    const subnets = names.map((name) => formatSubnet(defaultSubnet(name)));
    expect(new Set(subnets).size).toBe(names.length);
    for (const name of names) {
      const { network, prefix } = defaultSubnet(name);
      expect(prefix).toBe(24);
      const second = Math.floor(network / 65536) % 256;
      expect(second).toBeGreaterThanOrEqual(88);
      expect(second).toBeLessThanOrEqual(127);
      expect(formatSubnet(defaultSubnet(name))).not.toBe("10.88.0.0/24");
      expect(defaultSubnet(name)).toEqual(defaultSubnet(name));
    }
  });

  it("derives the underlay subnet 40 above in the second octet", () => {
    expect(formatSubnet(underlaySubnet(subnet("10.88.0.0/24")))).toBe("10.128.0.0/24");
    expect(formatSubnet(underlaySubnet(subnet("10.127.5.0/24")))).toBe("10.167.5.0/24");
  });

  it("keeps interface names within 15 characters and apart per lab", () => {
    for (const name of ["default", "a", "abcdefghij", "abcdefghijk", "x-very-long-lab-name-indeed"]) {
      expect(bridgeName(name).length).toBeLessThanOrEqual(15);
      expect(underlayBridgeName(name).length).toBeLessThanOrEqual(15);
    }
    expect(bridgeName("default")).toBe("rb-default");
    expect(bridgeName("abcdefghijk-1")).not.toBe(bridgeName("abcdefghijk-2"));
    expect(vethName(parseAddress("10.88.0.11")!)).toBe("rb-v0a58000b");
    expect(nftTableName("my-lab")).toBe("runbook_lab_my_lab");
  });

  it("makes fixed, locally administered MACs from the address", () => {
    expect(macFor(parseAddress("10.88.0.11")!)).toBe("02:00:0a:58:00:0b");
    expect(macFor(parseAddress("10.128.0.11")!, 1)).toBe("02:01:0a:80:00:0b");
  });

  it.each(["Default", "1lab", "", "a".repeat(33), "lab_1", "v0a58000b"])("rejects lab name %j", (name) => {
    expect(() => checkLabName(name)).toThrow(/invalid lab name/);
  });
});
