/** What other hosts see of a host (hostvars[name]): its variables and, as in Ansible, its magic names. */
import { describe, expect, it } from "vitest";
import { HostState } from "../../../src/executor/host-state.js";

describe("a host's public variables", () => {
  it("carry group_names and inventory_hostname_short, as Ansible's hostvars do", () => {
    const seen: Record<string, unknown> = {};
    new HostState("web1.example.com", { port: 80 }, seen, ["web", "all_linux"]);
    expect(seen).toMatchObject({ port: 80, inventory_hostname: "web1.example.com", inventory_hostname_short: "web1", group_names: ["web", "all_linux"] });
  });

  it("follow set_fact and registered results in place", () => {
    const seen: Record<string, unknown> = {};
    const host = new HostState("db", {}, seen);
    host.setRuntimeVars({ result: { rc: 0 } });
    expect(seen["result"]).toEqual({ rc: 0 });
  });
});
