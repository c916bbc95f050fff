/** lab up -i: inventory hosts in the lab subnet become lab hosts, in their groups; clear errors. */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { OptionsError } from "../../src/errors.js";
import { labDown, labExec, labUnavailableReason, labUp, sshArgv } from "../../src/lab/index.js";
import { formatAddress } from "../../src/lab/ipv4.js";
import { defaultSubnet } from "../../src/lab/naming.js";
import { labSsh, testLabName } from "./lab-helpers.js";

const LAB = testLabName("inv");
const NET = formatAddress(defaultSubnet(LAB).network).replace(/\.0$/, "");
const SUBNET = `${NET}.0/24`;

describe.skipIf(labUnavailableReason() !== undefined)("lab up -i INVENTORY", () => {
  afterAll(() => labDown(LAB));
  const dir = mkdtempSync(join(tmpdir(), "lab-inv-"));
  const inventory = join(dir, "hosts.yaml");
  writeFileSync(
    inventory,
    [
      "all:",
      "  children:",
      "    web:",
      "      hosts:",
      `        web1: { ansible_host: ${NET}.21 }`,
      `        db1: { ansible_host: ${NET}.31 }`,
      "    db:",
      "      hosts:",
      "        db1:",
      "    prod:",
      "      hosts:",
      "        far: { ansible_host: 192.168.200.5 }",
      "",
    ].join("\n"),
  );

  it("makes a host for every inventory host in the subnet, listed in its groups", async () => {
    const lab = await labUp({ name: LAB, inventories: [inventory], subnet: SUBNET });
    expect(lab.hosts.map((host) => [host.name, host.address])).toEqual([
      ["web1", `${NET}.21`],
      ["db1", `${NET}.31`],
    ]);
    const written = parse(readFileSync(lab.inventoryFile, "utf8")) as { all: { children: Record<string, { hosts: Record<string, null> }> } };
    expect(Object.keys(written.all.children).sort()).toEqual(["db", "web"]);
    expect(Object.keys(written.all.children.db?.hosts ?? {})).toEqual(["db1"]);
    const names = await Promise.all(lab.hosts.map((host) => labSsh(lab, host.address, "hostname")));
    expect(names.map((result) => result.stdout.trim())).toEqual(["web1", "db1"]);
    const hosts = await labExec(LAB, "web1", ["getent", "hosts", "db1"]);
    expect(hosts.stdout).toContain(`${NET}.31`);
  });

  it("suggests the closest host name for an unknown host", () => {
    let caught: unknown;
    try {
      sshArgv(LAB, "web11", []);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(OptionsError);
    expect((caught as OptionsError).message).toMatch(/no host 'web11'/);
    expect((caught as OptionsError).hint).toBe("did you mean 'web1'?");
  });

  it("rejects a subnet that collides with the machine's own networks", async () => {
    // The machine gets a network of its own to collide with (an empty bridge), so the test never
    // depends on which routes this machine happens to have.
    const { execFileSync } = await import("node:child_process");
    const link = `rbclash${process.pid % 10_000}`;
    const own = `10.250.${process.pid % 250}.0/24`;
    execFileSync("ip", ["link", "add", link, "type", "bridge"]);
    try {
      execFileSync("ip", ["addr", "add", own.replace(/0\/24$/, "1/24"), "dev", link]);
      execFileSync("ip", ["link", "set", link, "up"]);
      await expect(labUp({ name: testLabName("clash"), hosts: 1, subnet: own })).rejects.toThrow(/collides with the machine's/);
    } finally {
      execFileSync("ip", ["link", "del", link]);
    }
  });
});
