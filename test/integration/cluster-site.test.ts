/**
 * playbooks/site.yaml on a fresh systemd lab of inventory/lab.yaml's cluster (k8s-master with
 * etcd, k8s-node1, k8s-node2), with the TEST STAND-INS for the Kubernetes and flannel binaries.
 * One lab for the whole file; the steps build on each other, so they run in order.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { labUnavailableReason } from "../../src/lab/index.js";
import { changedTasks, clusterLab, failures, type ClusterLab } from "./cluster-lab.js";
import { testLabName } from "./lab-helpers.js";

// Named after this worktree, so runs in several worktrees on one machine do not take down each other's lab.
const LAB = testLabName("cr");
const HOSTS = ["k8s-master", "k8s-node1", "k8s-node2"];
const MASTER_DAEMONS = ["kube-apiserver", "kube-controller-manager", "kube-scheduler"];

/** The stand-in's recorded arguments, one per line. */
async function argsOf(cluster: ClusterLab, host: string, daemon: string): Promise<string[]> {
  return (await cluster.sh(host, `cat /var/log/standin/${daemon}.args`)).split("\n");
}

async function pidsOf(cluster: ClusterLab, host: string, units: readonly string[]): Promise<Record<string, string>> {
  const pids = await Promise.all(units.map((unit) => cluster.sh(host, `systemctl show --property=MainPID --value ${unit}`)));
  return Object.fromEntries(units.map((unit, index) => [unit, pids[index] ?? ""]));
}

describe.skipIf(labUnavailableReason("systemd") !== undefined)("site.yaml on a systemd lab", () => {
  let cluster: ClusterLab;
  beforeAll(async () => {
    cluster = await clusterLab(LAB);
  }, 900_000);
  afterAll(async () => {
    await cluster?.down();
  });

  it("a first run sets up the whole cluster; a second changes nothing; --check after it neither", { timeout: 600_000 }, async () => {
    const first = await cluster.site();
    expect(failures(first)).toEqual([]);
    expect(first.summary.exitCode).toBe(0);
    const second = await cluster.site();
    expect(second.summary.exitCode).toBe(0);
    expect(second.changed(), JSON.stringify(HOSTS.map((host) => changedTasks(second, host)))).toEqual({ "k8s-master": 0, "k8s-node1": 0, "k8s-node2": 0 });
    const check = await cluster.site({ check: true });
    expect(check.summary.exitCode).toBe(0);
    expect(check.changed()).toEqual({ "k8s-master": 0, "k8s-node1": 0, "k8s-node2": 0 });
  });

  it("a node reaches the other node's docker bridge through the vxlan tunnel (userspace OVS)", async () => {
    expect(await cluster.sh("k8s-node1", "ping -c 3 -W 2 172.17.30.1 >/dev/null && echo reached")).toBe("reached");
  });

  it("every host reaches a healthy etcd, by name, through /etc/hosts", async () => {
    for (const host of HOSTS) {
      const health = await cluster.sh(host, "ETCDCTL_API=3 etcdctl --endpoints=http://k8s-master:2379 endpoint health 2>&1");
      expect(health, host).toMatch(/is healthy/);
    }
    expect(await cluster.sh("k8s-node1", "sysctl -n net.ipv4.ip_forward")).toBe("1");
  });

  it("the daemons run with the seed's flags from their env files", async () => {
    expect(await cluster.sh("k8s-master", `systemctl is-active ${MASTER_DAEMONS.join(" ")}`)).toBe("active\nactive\nactive");
    const apiserver = await argsOf(cluster, "k8s-master", "kube-apiserver");
    expect(apiserver).toEqual(
      expect.arrayContaining([
        "--logtostderr=true",
        "--v=0",
        "--service-cluster-ip-range=10.254.0.0/16",
        "--insecure-bind-address=0.0.0.0",
        "--admission-control=NamespaceLifecycle,NamespaceExists,LimitRanger,SecurityContextDeny,ServiceAccount,ResourceQuota",
        "--service-account-key-file=/etc/kubernetes/serviceaccount.key",
      ]),
    );
    expect(apiserver.find((arg) => arg.startsWith("--etcd-servers="))).toMatch(/^--etcd-servers=http:\/\/[\d.]+:2379$/);
    expect(await argsOf(cluster, "k8s-master", "kube-controller-manager")).toContain("--service-account-private-key-file=/etc/kubernetes/serviceaccount.key");
    const kubelet = await argsOf(cluster, "k8s-node2", "kubelet");
    expect(kubelet).toEqual(expect.arrayContaining(["--address=0.0.0.0", "--hostname-override=k8s-node2", "--api-servers=http://k8s-master:8080"]));
    expect(await argsOf(cluster, "k8s-node1", "kube-proxy")).toContain("--master=http://k8s-master:8080");
    expect(await cluster.sh("k8s-master", "head -1 /etc/kubernetes/serviceaccount.key")).toMatch(/BEGIN (RSA )?PRIVATE KEY/);
  });

  it("a new KUBE_LOG_LEVEL with --role master changes only config and restarts only the master daemons", { timeout: 300_000 }, async () => {
    const keyBefore = await cluster.sh("k8s-master", "sha256sum /etc/kubernetes/serviceaccount.key");
    const masterBefore = await pidsOf(cluster, "k8s-master", [...MASTER_DAEMONS, "etcd"]);
    const nodeBefore = await pidsOf(cluster, "k8s-node1", ["kubelet", "kube-proxy"]);
    // running daemons (MainPID 0 is "not running"), so "unchanged" below cannot be 0 === 0
    for (const [unit, pid] of Object.entries({ ...masterBefore, ...nodeBefore })) expect(pid, unit).toMatch(/^[1-9]\d*$/);
    const run = await cluster.site({ role: "master", extraVars: { kube_log_level: 2 } });
    expect(failures(run)).toEqual([]);
    expect(changedTasks(run, "k8s-master")).toEqual(["Shared Kubernetes settings (config)", ...MASTER_DAEMONS.map((daemon) => `restart ${daemon}`)]);
    expect(run.changed()).toEqual({ "k8s-master": 4 });
    const masterAfter = await pidsOf(cluster, "k8s-master", [...MASTER_DAEMONS, "etcd"]);
    for (const daemon of MASTER_DAEMONS) {
      expect(masterAfter[daemon], daemon).not.toBe(masterBefore[daemon]);
      expect(await argsOf(cluster, "k8s-master", daemon)).toContain("--v=2");
    }
    expect(masterAfter["etcd"]).toBe(masterBefore["etcd"]);
    expect(await pidsOf(cluster, "k8s-node1", ["kubelet", "kube-proxy"])).toEqual(nodeBefore);
    expect(await cluster.sh("k8s-master", "sha256sum /etc/kubernetes/serviceaccount.key")).toBe(keyBefore);
    // the same setting again: nothing to do
    const again = await cluster.site({ role: "master", extraVars: { kube_log_level: 2 } });
    expect(again.changed()).toEqual({ "k8s-master": 0 });
  });

  it("with network_plugin flannel: the plan lands in etcd (v2) once, flanneld gets its settings", { timeout: 600_000 }, async () => {
    // The flanneld stand-in leases nothing: the test writes the lease file flanneld would.
    for (const host of HOSTS) {
      await cluster.sh(host, "mkdir -p /run/flannel && printf 'FLANNEL_NETWORK=10.10.0.0/16\\nFLANNEL_SUBNET=10.10.7.1/24\\nFLANNEL_MTU=1450\\nFLANNEL_IPMASQ=false\\n' > /run/flannel/subnet.env");
    }
    const flannel = { network_plugin: "flannel" };
    const first = await cluster.site({ extraVars: flannel });
    expect(failures(first)).toEqual([]);
    const read = async (): Promise<{ value: string; modifiedIndex: number }> =>
      (JSON.parse(await cluster.sh("k8s-node1", "ETCDCTL_API=2 etcdctl --endpoints=http://k8s-master:2379 -o json get /coreos.com/network/config")) as { node: { value: string; modifiedIndex: number } }).node;
    const stored = await read();
    expect(JSON.parse(stored.value)).toEqual({ Network: "10.10.0.0/16", SubnetLen: 24, SubnetMin: "10.10.1.0", SubnetMax: "10.10.255.0", Backend: { Type: "vxlan" } });
    expect(await cluster.sh("k8s-node2", "cat /etc/sysconfig/flanneld")).toContain('FLANNEL_ETCD_PREFIX="/coreos.com/network"');
    expect(await argsOf(cluster, "k8s-node2", "flanneld")).toEqual(["-etcd-endpoints=" + (await cluster.sh("k8s-node2", ". /etc/sysconfig/flanneld; echo $FLANNEL_ETCD_ENDPOINTS")), "-etcd-prefix=/coreos.com/network", "--iface=eth0"]);

    const second = await cluster.site({ extraVars: flannel });
    expect(second.changed()).toEqual({ "k8s-master": 0, "k8s-node1": 0, "k8s-node2": 0 });
    expect((await read()).modifiedIndex).toBe(stored.modifiedIndex);
  });
});
