/**
 * Three systemd lab hosts, all in group etcd; etcd1 is master and node at once (seed 004's
 * `dev`). The etcd role alone (`--role etcd`) forms one three-member cluster, healthy from every
 * member; then the whole site, and a shared-config change on the combined host restarts its
 * node daemons too.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { labUnavailableReason } from "../../src/lab/index.js";
import { testLabName } from "./lab-helpers.js";
import { changedTasks, clusterLab, failures, type ClusterLab } from "./cluster-lab.js";

// named after this worktree, so several worktrees' suites do not share (or tear down) it
const LAB = testLabName("ce");
const MEMBERS = ["etcd1", "etcd2", "etcd3"];

describe.skipIf(labUnavailableReason("systemd") !== undefined)("etcd role with three members", () => {
  let cluster: ClusterLab;
  beforeAll(async () => {
    cluster = await clusterLab(
      LAB,
      MEMBERS.map((name, index) => ({ name, octet: 21 + index, groups: ["etcd", ...(index === 0 ? ["masters", "nodes"] : ["nodes"])], vars: { docker_bip: `172.17.${21 + index}.1/24` } })),
    );
  }, 900_000);
  afterAll(async () => {
    await cluster?.down();
  });

  it("forms one cluster of three; every member is healthy; a rerun changes nothing", { timeout: 600_000 }, async () => {
    const first = await cluster.site({ role: "etcd" });
    expect(failures(first)).toEqual([]);
    expect(first.summary.exitCode).toBe(0);
    for (const member of MEMBERS) {
      expect(await cluster.sh(member, "ETCDCTL_API=3 etcdctl endpoint health 2>&1"), member).toMatch(/is healthy/);
    }
    const members = (await cluster.sh("etcd2", "ETCDCTL_API=3 etcdctl member list")).split("\n");
    expect(members).toHaveLength(3);
    expect(members.map((line) => line.split(", ")[2]).sort()).toEqual(MEMBERS);
    const second = await cluster.site({ role: "etcd" });
    expect(second.changed()).toEqual({ etcd1: 0, etcd2: 0, etcd3: 0 });
  });

  it("on a host that is master and node, a shared-config change restarts its node daemons once too", { timeout: 600_000 }, async () => {
    const site = await cluster.site();
    expect(failures(site)).toEqual([]);
    const pid = (host: string, unit: string): Promise<string> => cluster.sh(host, `systemctl show --property=MainPID --value ${unit}`);
    const before = { kubelet: await pid("etcd1", "kubelet"), other: await pid("etcd2", "kubelet") };
    const run = await cluster.site({ extraVars: { kube_log_level: 4 } });
    expect(failures(run)).toEqual([]);
    expect(await pid("etcd1", "kubelet")).not.toBe(before.kubelet);
    expect((await cluster.sh("etcd1", "cat /var/log/standin/kubelet.args")).split("\n")).toContain("--v=4");
    expect(changedTasks(run, "etcd1").filter((task) => task.startsWith("restart"))).toEqual([
      "restart kube-apiserver",
      "restart kube-controller-manager",
      "restart kube-scheduler",
      "restart node daemons on this host",
    ]);
    // etcd2 is only a node: its own config change restarted its daemons, once each
    expect(changedTasks(run, "etcd2").filter((task) => task.startsWith("restart"))).toEqual(["restart kubelet", "restart kube-proxy"]);
    expect(await pid("etcd2", "kubelet")).not.toBe(before.other);
  });
});
