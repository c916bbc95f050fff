import { describe, expect, it } from "vitest";
import { OptionsError } from "../../../src/errors.js";
import { formatSubnet } from "../../../src/lab/ipv4.js";
import { checkCompatible, resolveRequest } from "../../../src/lab/request.js";
import type { LabState } from "../../../src/lab/state.js";

describe("resolveRequest", () => {
  it("defaults to 3 light hosts in the name's subnet, without NAT or underlay", () => {
    const request = resolveRequest({ name: "default" });
    expect(request.init).toBe("light");
    expect(request.nat).toBe(false);
    expect(request.underlay).toBeUndefined();
    expect(formatSubnet(request.subnet)).toBe("10.88.0.0/24");
    expect(request.hosts.map((host) => host.name)).toEqual(["h1", "h2", "h3"]);
  });

  it("sorts and dedupes --packages and derives the underlay subnet", () => {
    const request = resolveRequest({ name: "x", init: "systemd", packages: ["docker.io", "etcd-server", "docker.io"], underlay: true, subnet: "10.99.3.0/24" });
    expect(request.packages).toEqual(["docker.io", "etcd-server"]);
    expect(formatSubnet(request.underlay!)).toBe("10.139.3.0/24");
  });

  it.each([
    [{ name: "x", packages: ["docker.io"] }, /--packages applies to --init systemd only/],
    [{ name: "x", subnet: "10.88.0.1/24" }, /invalid --subnet/],
    [{ name: "x", subnet: "10.0.0.0/31" }, /invalid --subnet/],
    [{ name: "x", hosts: 2, inventories: ["a.yaml"] }, /either -i INVENTORY or --hosts N/],
  ])("rejects %j", (options, message) => {
    expect(() => resolveRequest(options)).toThrow(message);
    expect(() => resolveRequest(options)).toThrow(OptionsError);
  });
});

describe("checkCompatible", () => {
  const running: LabState = {
    version: 1,
    name: "x",
    subnet: "10.99.3.0/24",
    init: "light",
    bridge: "rb-x",
    hosts: [],
  };

  it("accepts the same settings", () => {
    expect(() => checkCompatible(running, resolveRequest({ name: "x", subnet: "10.99.3.0/24", hosts: 5 }))).not.toThrow();
  });

  it("names every setting that differs and how to change it", () => {
    const request = resolveRequest({ name: "x", subnet: "10.99.4.0/24", init: "systemd", underlay: true });
    expect(() => checkCompatible(running, request)).toThrow("lab x is up with subnet 10.99.3.0/24, --init light, no --underlay");
  });
});
