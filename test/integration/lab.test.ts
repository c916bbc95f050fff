/** The light lab end to end: real namespaces, sshd with host-key checking, isolation, idempotence, clean teardown. */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { labDown, labPaths, labUnavailableReason, labUp, type LabInfo } from "../../src/lab/index.js";
import { OVERLAID_DIRS } from "../../src/lab/host-light.js";
import { bridgeName, cgroupName, nftTableName } from "../../src/lab/naming.js";
import { cgroupDirs, labSsh, machineLinks, mountPointsUnder, nftTables, processAlive, testLabName } from "./lab-helpers.js";

const LAB = testLabName("lab5");
const BRIDGE = bridgeName(LAB);
const unavailable = labUnavailableReason();

describe.skipIf(unavailable !== undefined)("lab with 5 light hosts", () => {
  let lab: LabInfo;
  const paths = labPaths(LAB);
  afterAll(() => labDown(LAB));

  it("brings up 5 hosts that answer ssh with host-key checking on", async () => {
    lab = await labUp({ name: LAB, hosts: 5 });
    expect(lab.hosts.map((host) => host.name)).toEqual(["h1", "h2", "h3", "h4", "h5"]);
    const names = await Promise.all(lab.hosts.map((host) => labSsh(lab, host.address, "hostname")));
    expect(names.map((result) => result.rc)).toEqual([0, 0, 0, 0, 0]);
    expect(names.map((result) => result.stdout.trim())).toEqual(["h1", "h2", "h3", "h4", "h5"]);
  });

  // /srv and /mnt were once the machine's own, shared by every light host: 20 hosts editing
  // /srv/x at once raced each other (issue: "runs are wrong at 20+ hosts").
  it.each(OVERLAID_DIRS)("keeps /%s private to each host", async (dir) => {
    const [h1, h2] = lab.hosts;
    const marker = `/${dir}/runbook-lab-test-${process.pid}`;
    expect((await labSsh(lab, h1!.address, `echo one > ${marker} && cat ${marker}`)).stdout).toBe("one\n");
    expect((await labSsh(lab, h2!.address, `test -e ${marker}; echo $?`)).stdout).toBe("1\n");
    expect(existsSync(marker)).toBe(false);
  });

  it("isolates processes and looks like a server", async () => {
    const result = await labSsh(lab, lab.hosts[0]!.address, "ps -e --no-headers | wc -l; cat /etc/hostname; grep -c h1 /etc/hosts; modprobe br_netfilter && echo modprobe-ok; test -s /etc/machine-id && echo id-ok");
    const [count, ...rest] = result.stdout.trim().split("\n");
    expect(Number(count)).toBeLessThan(10);
    expect(rest).toEqual(["h1", "1", "modprobe-ok", "id-ok"]);
  });

  it("gives each host its own machine-id", async () => {
    const ids = await Promise.all(lab.hosts.map((host) => labSsh(lab, host.address, "cat /etc/machine-id")));
    expect(new Set(ids.map((id) => id.stdout)).size).toBe(5);
  });

  it("leaves running hosts alone on a second lab up", async () => {
    const again = await labUp({ name: LAB, hosts: 5 });
    expect(again.hosts.map((host) => host.pid)).toEqual(lab.hosts.map((host) => host.pid));
  });

  it("cleans the leftovers of killed hosts and brings them back", async () => {
    for (const host of lab.hosts) process.kill(host.pid, "SIGKILL");
    await vi.waitUntil(() => lab.hosts.every((host) => !processAlive(host.pid)), { timeout: 5000 });
    const revived = await labUp({ name: LAB, hosts: 5 });
    expect(revived.hosts.every((host, i) => host.pid !== lab.hosts[i]!.pid)).toBe(true);
    lab = revived;
    const names = await Promise.all(lab.hosts.map((host) => labSsh(lab, host.address, "hostname")));
    expect(names.map((result) => result.stdout.trim())).toEqual(["h1", "h2", "h3", "h4", "h5"]);
    const bridges = (await machineLinks()).filter((link) => link.ifname === BRIDGE);
    expect(bridges).toHaveLength(1);
  });

  it("finds hosts whose state directory was deleted by their cgroups, and replaces them", async () => {
    const old = lab.hosts.map((host) => host.pid);
    rmSync(paths.dir, { recursive: true, force: true });
    lab = await labUp({ name: LAB, hosts: 5 });
    expect(old.filter(processAlive)).toEqual([]);
    const names = await Promise.all(lab.hosts.map((host) => labSsh(lab, host.address, "hostname")));
    expect(names.map((result) => result.rc)).toEqual([0, 0, 0, 0, 0]);
  });

  it("refuses a lab of the same name from another project", async () => {
    const other = join(mkdtempSync(join(paths.root, "..", "other-")), "lab");
    await expect(labUp({ name: LAB, hosts: 1, stateRoot: other })).rejects.toThrow(/in use by another project/);
    await expect(labDown(LAB, other)).rejects.toThrow(/in use by another project/);
    rmSync(join(other, ".."), { recursive: true, force: true });
    const names = await Promise.all(lab.hosts.map((host) => labSsh(lab, host.address, "hostname")));
    expect(names.every((result) => result.rc === 0)).toBe(true);
  });

  it("lab down leaves nothing behind", async () => {
    await labDown(LAB);
    expect(lab.hosts.filter((host) => processAlive(host.pid))).toEqual([]);
    expect(mountPointsUnder(paths.dir)).toEqual([]);
    const links = await machineLinks();
    expect(links.filter((link) => link.ifname.startsWith(BRIDGE) || link.master === BRIDGE)).toEqual([]);
    const addressHex = lab.hosts.map((host) => host.address.split(".").map((o) => Number(o).toString(16).padStart(2, "0")).join(""));
    expect(links.filter((link) => addressHex.some((hex) => link.ifname.endsWith(hex)))).toEqual([]);
    expect(await nftTables()).not.toContain(nftTableName(LAB));
    expect(existsSync(paths.dir)).toBe(false);
    expect(cgroupDirs(cgroupName(LAB, ""))).toEqual([]);
  });
});
