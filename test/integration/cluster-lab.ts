/**
 * A systemd lab for the cluster roles: the hosts of an inventory (inventory/lab.yaml's names and
 * groups) made in the lab's own subnet, an artifacts directory filled with the TEST STAND-INS,
 * and playbooks/site.yaml run on it in-process. Helper for test/integration/cluster-*.test.ts.
 */
import { SYSTEMD_LAB_PACKAGES } from "./helpers/rootfs.js";
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import type { RunEvent } from "../../src/executor/events.js";
import { defaultExecutorOptions, type ExecutorOptions } from "../../src/executor/options.js";
import { runPlaybook, type RunSummary } from "../../src/executor/run.js";
import { withExitCode } from "../../src/cli/exit-codes.js";
import { loadInventories } from "../../src/inventory/load.js";
import { labDown, labExec, labUp, type LabInfo } from "../../src/lab/index.js";
import { defaultSubnet } from "../../src/lab/naming.js";
import { moduleCatalog } from "../../src/modules/registry.js";
import { loadPlaybook } from "../../src/playbook/load.js";
import type { Vars } from "../../src/playbook/model.js";

export const PROJECT = join(import.meta.dirname, "../..");
/** The rootfs package list shared with the network roles' tests, so the cached rootfs is one. */
export const CLUSTER_PACKAGES = SYSTEMD_LAB_PACKAGES;

/** A host of the cluster: its name, its address's last octet, its groups and host vars. */
export interface ClusterHost {
  readonly name: string;
  readonly octet: number;
  readonly groups: readonly string[];
  readonly vars?: Vars;
}


export interface SiteRun {
  readonly summary: RunSummary & { readonly exitCode: number };
  readonly events: RunEvent[];
  /** changed count per host. */
  changed(): Record<string, number>;
}

export interface ClusterLab {
  readonly lab: LabInfo;
  readonly artifactsDir: string;
  /** Runs playbooks/site.yaml on the lab with the cluster plan of inventory/group_vars. */
  site(options?: Partial<ExecutorOptions>): Promise<SiteRun>;
  /** A shell command on a lab host (without ssh); stdout, trimmed. */
  sh(host: string, command: string): Promise<string>;
  down(): Promise<void>;
}

function dottedNetwork(name: string): string {
  const { network } = defaultSubnet(name);
  return [network >>> 24, (network >>> 16) & 255, (network >>> 8) & 255].join(".");
}

/**
 * The cluster's inventory in `dir`, beside a copy of inventory/group_vars (the plan): either
 * inventory/lab.yaml itself with its 10.88.0.x addresses moved into the lab's subnet, or the
 * given hosts in group lab_cluster.
 */
function writeClusterInventory(dir: string, name: string, hosts: readonly ClusterHost[] | undefined): string {
  const prefix = dottedNetwork(name);
  cpSync(join(PROJECT, "inventory/group_vars"), join(dir, "group_vars"), { recursive: true });
  const file = join(dir, "cluster.yaml");
  if (hosts === undefined) {
    // the lab's underlay (eth1) is its subnet + 40 in the second octet, as for lab `default`
    const underlay = prefix.replace(/^10\.(\d+)\./, (_match, second: string) => `10.${Number(second) + 40}.`);
    const text = readFileSync(join(PROJECT, "inventory/lab.yaml"), "utf8").replaceAll("10.88.0.", `${prefix}.`).replaceAll("10.128.0.", `${underlay}.`);
    writeFileSync(file, text);
    return file;
  }
  const groups: Record<string, { hosts: Record<string, Vars> }> = {};
  for (const host of hosts) {
    for (const group of host.groups) {
      groups[group] ??= { hosts: {} };
      (groups[group] as { hosts: Record<string, Vars> }).hosts[host.name] = { ansible_host: `${prefix}.${host.octet}`, ...host.vars };
    }
  }
  writeFileSync(file, stringify({ all: { vars: { ansible_user: "root" }, children: { lab_cluster: { children: groups } } } }));
  return file;
}

/** A systemd lab of inventory/lab.yaml's cluster (k8s-master with etcd, k8s-node1, k8s-node2), or of `hosts`. */
export async function clusterLab(name: string, hosts?: readonly ClusterHost[]): Promise<ClusterLab> {
  const dir = mkdtempSync(join(tmpdir(), `runbook-${name}-`));
  const plan = writeClusterInventory(dir, name, hosts);
  const artifactsDir = join(dir, "artifacts");
  mkdirSync(artifactsDir);
  execFileSync(join(PROJECT, "scripts/standin-artifacts.sh"), [artifactsDir]);
  await labDown(name);
  const lab = await labUp({ name, inventories: [plan], init: "systemd", underlay: true, packages: CLUSTER_PACKAGES });
  const sh = async (host: string, command: string): Promise<string> => {
    const result = await labExec(name, host, ["sh", "-c", command]);
    return result.stdout.trim();
  };
  return {
    lab,
    artifactsDir,
    sh,
    async site(options = {}) {
      const events: RunEvent[] = [];
      // the cluster's inventory and plan, then how to reach the lab hosts
      const inventory = loadInventories([plan, lab.inventoryFile]);
      const playbook = loadPlaybook(join(PROJECT, "playbooks/site.yaml"), { catalog: moduleCatalog });
      const summary = withExitCode(await runPlaybook({
        playbook,
        inventory,
        options: { ...defaultExecutorOptions, ...options, extraVars: { artifacts_dir: artifactsDir, ...options.extraVars } },
        listeners: [(event) => events.push(event)],
      }));
      return {
        summary,
        events,
        changed: () => Object.fromEntries([...summary.stats].map(([host, stats]) => [host, stats.changed])),
      };
    },
    async down() {
      await labDown(name);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Failed task results of a run, readable in an assertion message. */
export function failures(run: SiteRun): string[] {
  return run.events.flatMap((event) =>
    event.type === "task-result" && (event.result.status === "failed" || event.result.status === "unreachable")
      ? [`${event.result.host}: ${event.task.name}: ${event.result.msg ?? ""}`]
      : [],
  );
}

/** Names of the tasks (and handlers) that changed on a host, in order. */
export function changedTasks(run: SiteRun, host: string): string[] {
  return run.events.flatMap((event) => (event.type === "task-result" && event.result.host === host && event.result.status === "changed" ? [event.task.name] : []));
}
