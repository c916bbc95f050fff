/**
 * A lab larger than a /24: 300 light hosts on a /23 come up, the hosts past the first /24
 * answer, and `lab down` leaves no process, veth, mount, cgroup or state behind. (1,000 hosts
 * on a /22 work the same way; README's performance section has the by-hand figures.)
 */
import { existsSync, readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { labDown, labPaths, labUnavailableReason, labUp, type LabInfo } from "../../src/lab/index.js";
import { neighbourThresholdsFor } from "../../src/lab/kernel-limits.js";
import { bridgeName, cgroupName } from "../../src/lab/naming.js";
import { isAlive } from "../../src/lab/process.js";
import { readState } from "../../src/lab/state.js";
import { cgroupDirs, labSsh, machineLinks, mountPointsUnder, testLabName, worktreeTag } from "./lab-helpers.js";

const LAB = testLabName("fleet");
const HOSTS = 300;
// a /23 of 10.64.0.0-10.87.255.0 (below the default labs' 10.88/13) picked by the worktree, so
// the same test in two worktrees gets two subnets
const SUBNET = `10.${64 + (parseInt(worktreeTag(), 16) % 24)}.${(parseInt(worktreeTag(), 16) >> 8) % 128 * 2}.0/23`;
const unavailable = labUnavailableReason();

const neighbourThreshold = (n: number): number => Number(readFileSync(`/proc/sys/net/ipv4/neigh/default/gc_thresh${n}`, "utf8"));

describe.skipIf(unavailable !== undefined)(`lab with ${HOSTS} light hosts on a /23`, () => {
  let lab: LabInfo;
  const paths = labPaths(LAB);
  afterAll(() => labDown(LAB));

  it("brings them all up, addressed across both /24s", { timeout: 300_000 }, async () => {
    lab = await labUp({ name: LAB, hosts: HOSTS, subnet: SUBNET });
    expect(lab.hosts).toHaveLength(HOSTS);
    const [a, b] = SUBNET.split(".").map(Number).slice(1, 3) as [number, number];
    const picks = [1, 245, 246, HOSTS].map((n) => lab.hosts[n - 1]!);
    expect(picks.map((host) => host.address)).toEqual([`10.${a}.${b}.11`, `10.${a}.${b}.255`, `10.${a}.${b + 1}.0`, `10.${a}.${b + 1}.54`]);
    const names = await Promise.all(picks.map((host) => labSsh(lab, host.address, "hostname")));
    expect(names.map((result) => result.stdout.trim())).toEqual(["h1", "h245", "h246", `h${HOSTS}`]);
  });

  it("has raised the neighbour table's limits for two entries per host", () => {
    const wanted = neighbourThresholdsFor(HOSTS);
    const short = [wanted.gc_thresh1, wanted.gc_thresh2, wanted.gc_thresh3].filter((value, i) => neighbourThreshold(i + 1) < value);
    expect(short).toEqual([]);
  });

  it("lab down leaves nothing behind", { timeout: 120_000 }, async () => {
    const state = readState(paths)!;
    await labDown(LAB);
    // by pid and start time: with 600 pids gone, the machine's other processes reuse some of them
    expect(state.hosts.flatMap((host) => [host.init, host.launcher]).filter(isAlive)).toEqual([]);
    expect(mountPointsUnder(paths.dir)).toEqual([]);
    const veths = new Set(state.hosts.map((host) => host.veth));
    const bridge = bridgeName(LAB);
    expect((await machineLinks()).filter((link) => veths.has(link.ifname) || link.ifname === bridge || link.master === bridge)).toEqual([]);
    expect(cgroupDirs(cgroupName(LAB, ""))).toEqual([]);
    expect(existsSync(paths.dir)).toBe(false);
  });
});
