/**
 * The etcd role alone (`--role etcd`) on three systemd lab hosts that are all in group etcd:
 * they form one three-member cluster, healthy from every member, and a rerun changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { labUnavailableReason } from "../../src/lab/index.js";
import { clusterLab, failures, type ClusterLab } from "./cluster-lab.js";

const LAB = "cr3";
const MEMBERS = ["etcd1", "etcd2", "etcd3"];

describe.skipIf(labUnavailableReason("systemd") !== undefined)("etcd role with three members", () => {
  let cluster: ClusterLab;
  beforeAll(async () => {
    cluster = await clusterLab(
      LAB,
      MEMBERS.map((name, index) => ({ name, octet: 21 + index, groups: ["etcd", ...(index === 0 ? ["masters"] : ["nodes"])] })),
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
});
