/** --underlay: a second NIC eth1 per host on a second lab bridge, reachable host to host. */
import { readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { labDown, labExec, labUnavailableReason, labUp } from "../../src/lab/index.js";
import { bridgeName, underlayBridgeName } from "../../src/lab/naming.js";
import { machineLinks, testLabName } from "./lab-helpers.js";

const LAB = testLabName("und");

describe.skipIf(labUnavailableReason() !== undefined)("lab --underlay", () => {
  afterAll(() => labDown(LAB));

  it("gives every host eth1 on its own bridge and subnet", async () => {
    const lab = await labUp({ name: LAB, hosts: 2, underlay: true });
    const inventory = parse(readFileSync(lab.inventoryFile, "utf8")) as {
      all: { hosts: Record<string, { runbook_lab_underlay_address: string }> };
    };
    const h2Underlay = inventory.all.hosts.h2?.runbook_lab_underlay_address;
    expect(h2Underlay).toMatch(/^10\.(1[2-6]\d)\.\d+\.12$/);
    const eth1 = await labExec(LAB, "h1", ["ip", "-4", "-o", "addr", "show", "dev", "eth1"]);
    expect(eth1.stdout).toContain(inventory.all.hosts.h1?.runbook_lab_underlay_address);
    const ping = await labExec(LAB, "h1", ["ping", "-c", "1", "-W", "2", "-I", "eth1", h2Underlay!]);
    expect(ping.rc, ping.stdout).toBe(0);
    const links = await machineLinks();
    expect(links.filter((link) => link.master === underlayBridgeName(LAB))).toHaveLength(2);
  });

  it("removes the underlay bridge with lab down", async () => {
    await labDown(LAB);
    expect((await machineLinks()).filter((link) => link.ifname.startsWith(bridgeName(LAB)))).toEqual([]);
  });
});
