/**
 * "What will this do to my new hosts?": playbooks/site.yaml --check on FRESH systemd lab hosts,
 * for both network plugins. Check mode must finish without a failure, and per host the tasks it
 * says would change must be the ones the first real run then changes; a rerun changes nothing.
 * One fresh lab per plugin.
 */
import { afterAll, describe, expect, it } from "vitest";
import { labUnavailableReason } from "../../src/lab/index.js";
import { changedTasks, clusterLab, failures, type ClusterLab, type SiteRun } from "./cluster-lab.js";
import { testLabName } from "./lab-helpers.js";

const HOSTS = ["k8s-master", "k8s-node1", "k8s-node2"];

/** Per host, the names of the tasks that changed (or in check mode would), in order. */
function changesByHost(run: SiteRun): Record<string, string[]> {
  return Object.fromEntries(HOSTS.map((host) => [host, changedTasks(run, host)]));
}

/** Every result, one line each: "host | task | status | msg", for a readable failure. */
function resultLines(run: SiteRun): string[] {
  return run.events.flatMap((event) =>
    event.type === "task-result" ? [`${event.result.host} | ${event.task.role ?? ""}:${event.task.name} | ${event.result.status} | ${(event.result.msg ?? "").split("\n")[0]}`] : [],
  );
}

function explain(check: SiteRun, first: SiteRun): string {
  return `\n--- check\n${resultLines(check).join("\n")}\n--- first run\n${resultLines(first).join("\n")}`;
}

describe.skipIf(labUnavailableReason("systemd") !== undefined).each([
  { plugin: "ovs-vxlan", lab: "ckovs" },
  { plugin: "flannel", lab: "ckfl" },
])("site.yaml --check on fresh hosts ($plugin)", ({ plugin, lab }) => {
  let cluster: ClusterLab | undefined;
  afterAll(async () => {
    await cluster?.down();
  });

  it("exits 0, and predicts per host exactly what the first run changes; a rerun changes nothing", { timeout: 900_000 }, async () => {
    cluster = await clusterLab(testLabName(lab));
    const extraVars = { network_plugin: plugin };
    const check = await cluster.site({ check: true, extraVars });
    expect(failures(check)).toEqual([]);
    expect(check.summary.exitCode).toBe(0);
    if (plugin === "flannel") {
      // The flanneld stand-in leases nothing: write the lease file flanneld would (check mode could not know it).
      for (const host of HOSTS) {
        await cluster.sh(host, "mkdir -p /run/flannel && printf 'FLANNEL_NETWORK=10.10.0.0/16\\nFLANNEL_SUBNET=10.10.7.1/24\\nFLANNEL_MTU=1450\\nFLANNEL_IPMASQ=false\\n' > /run/flannel/subnet.env");
      }
    }
    const first = await cluster.site({ extraVars });
    expect(failures(first)).toEqual([]);
    expect(first.summary.exitCode).toBe(0);
    expect(changesByHost(check), explain(check, first)).toEqual(changesByHost(first));
    expect(check.changed()).toEqual(first.changed());
    const second = await cluster.site({ extraVars });
    expect(second.changed(), JSON.stringify(changesByHost(second))).toEqual({ "k8s-master": 0, "k8s-node1": 0, "k8s-node2": 0 });
  });
});
