/**
 * --init systemd: hosts boot systemd as PID 1 from the cached Debian rootfs (built on first
 * use, about a minute, cached under .runbook/lab/rootfs).
 */
import { afterAll, describe, expect, it } from "vitest";
import { labDown, labPaths, labUnavailableReason, labUp, type LabInfo } from "../../src/lab/index.js";
import { bridgeName } from "../../src/lab/naming.js";
import { labSsh, machineLinks, mountPointsUnder, testLabName, waitUntilBooted } from "./lab-helpers.js";
import { SYSTEMD_LAB_PACKAGES } from "./helpers/rootfs.js";

const LAB = testLabName("sd");

describe.skipIf(labUnavailableReason("systemd") !== undefined)("lab --init systemd", () => {
  let lab: LabInfo;
  afterAll(() => labDown(LAB));

  it("boots 2 hosts to a running systemd that answer ssh with host-key checking", { timeout: 600_000 }, async () => {
    lab = await labUp({ name: LAB, hosts: 2, init: "systemd", packages: [...SYSTEMD_LAB_PACKAGES] });
    const states = await Promise.all(lab.hosts.map((host) => waitUntilBooted(LAB, host.name, 60)));
    for (const state of states) expect(state).toMatch(/^(running|degraded)$/);
    const names = await Promise.all(lab.hosts.map((host) => labSsh(lab, host.address, "hostname; cat /proc/1/comm")));
    expect(names.map((result) => result.stdout)).toEqual(["h1\nsystemd\n", "h2\nsystemd\n"]);
  });

  it("starts a unit with systemctl", async () => {
    const unit = [
      "printf '[Service]\\nExecStart=/bin/sleep 300\\n' > /etc/systemd/system/rbtest.service",
      "systemctl daemon-reload",
      "systemctl start rbtest",
      "systemctl is-active rbtest",
    ].join(" && ");
    const result = await labSsh(lab, lab.hosts[0]!.address, unit);
    expect(result.stdout.trim()).toBe("active");
    expect((await labSsh(lab, lab.hosts[1]!.address, "systemctl is-active rbtest")).stdout.trim()).not.toBe("active");
  });

  it("looks like a server: modprobe of a built-in module, machine-id, docker's own directory", async () => {
    const result = await labSsh(lab, lab.hosts[0]!.address, "modprobe br_netfilter && echo ok; test -s /etc/machine-id && echo id; stat -f -c %T /var/lib/docker");
    expect(result.stdout.split("\n").slice(0, 2)).toEqual(["ok", "id"]);
    expect(result.stdout.split("\n")[2]).not.toBe("overlayfs");
  });

  it("lab down leaves no mounts and no links", async () => {
    await labDown(LAB);
    expect(mountPointsUnder(labPaths(LAB).dir)).toEqual([]);
    expect((await machineLinks()).filter((link) => link.ifname.startsWith(bridgeName(LAB)))).toEqual([]);
  });
});
