/** The shared suite lab from setup/lab.ts: 12 light hosts, reachable with the lab's inventory. */
import { readFileSync } from "node:fs";
import { describe, expect, inject, it } from "vitest";
import { parse } from "yaml";
import { isLabReady, SUITE_LAB_HOSTS } from "./setup/lab.js";
import { labSsh } from "./lab-helpers.js";

const lab = inject("lab");

describe.skipIf(!isLabReady(lab))("suite lab", () => {
  it("provides 12 hosts that answer ssh with host-key checking", async () => {
    if (!isLabReady(lab)) return;
    expect(lab.hosts).toHaveLength(SUITE_LAB_HOSTS);
    const names = await Promise.all(lab.hosts.map((host) => labSsh(lab, host.address, "hostname")));
    expect(names.map((result) => result.stdout.trim())).toEqual(lab.hosts.map((host) => host.name));
  });

  it("writes an inventory with the lab key and known_hosts", () => {
    if (!isLabReady(lab)) return;
    const inventory = parse(readFileSync(lab.inventoryFile, "utf8")) as {
      all: { hosts: Record<string, Record<string, string>>; children: { lab: { hosts: Record<string, null> } } };
    };
    expect(Object.keys(inventory.all.children.lab.hosts)).toHaveLength(SUITE_LAB_HOSTS);
    expect(inventory.all.hosts.h1).toEqual({
      ansible_host: lab.hosts[0]?.address,
      ansible_user: "root",
      ansible_ssh_private_key_file: lab.keyFile,
      runbook_known_hosts_file: lab.knownHostsFile,
    });
  });
});
