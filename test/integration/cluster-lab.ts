/**
 * A systemd lab for the cluster roles: the hosts of an inventory (inventory/lab.yaml's names and
 * groups) made in the lab's own subnet, an artifacts directory filled with the TEST STAND-INS,
 * and playbooks/site.yaml run on it in-process. Helper for test/integration/cluster-*.test.ts.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import type { RunEvent } from "../../src/executor/events.js";
import { defaultExecutorOptions, type ExecutorOptions } from "../../src/executor/options.js";
import { runPlaybook, type RunSummary } from "../../src/executor/run.js";
import { loadInventories } from "../../src/inventory/load.js";
import { labDown, labExec, labUp, type LabInfo } from "../../src/lab/index.js";
import { defaultSubnet } from "../../src/lab/naming.js";
import { moduleCatalog } from "../../src/modules/registry.js";
import { loadPlaybook } from "../../src/playbook/load.js";
import type { Vars } from "../../src/playbook/model.js";

export const PROJECT = join(import.meta.dirname, "../..");
/** The rootfs package list shared with the network roles' tests, so the cached rootfs is one. */
export const CLUSTER_PACKAGES = ["etcd-server", "etcd-client", "openvswitch-switch", "docker.io", "iptables", "bridge-utils", "openssl", "sudo"];
const STUBS = join(PROJECT, "test/fixtures/network-role-stubs");

/** A host of the cluster: its name, its address's last octet, its groups and host vars. */
export interface ClusterHost {
  readonly name: string;
  readonly octet: number;
  readonly groups: readonly string[];
  readonly vars?: Vars;
}

/** inventory/lab.yaml's cluster: k8s-master (etcd, masters), k8s-node1/2 (nodes). */
export const LAB_CLUSTER: readonly ClusterHost[] = [
  { name: "k8s-master", octet: 11, groups: ["etcd", "masters"] },
  { name: "k8s-node1", octet: 12, groups: ["nodes"], vars: { docker_bip: "172.17.20.1/24" } },
  { name: "k8s-node2", octet: 13, groups: ["nodes"], vars: { docker_bip: "172.17.30.1/24" } },
];

export interface SiteRun {
  readonly summary: RunSummary;
  readonly events: RunEvent[];
  /** changed count per host. */
  changed(): Record<string, number>;
}

export interface ClusterLab {
  readonly lab: LabInfo;
  readonly artifactsDir: string;
  /** Runs playbooks/site.yaml on the lab with inventory/lab.yaml's plan (group_vars). */
  site(options?: Partial<ExecutorOptions>): Promise<SiteRun>;
  /** A shell command on a lab host (without ssh); stdout, trimmed. */
  sh(host: string, command: string): Promise<string>;
  down(): Promise<void>;
}

function dottedNetwork(name: string): string {
  const { network } = defaultSubnet(name);
  return [network >>> 24, (network >>> 16) & 255, (network >>> 8) & 255].join(".");
}

/** An inventory with the cluster's hosts in the lab's subnet, for `lab up` only. */
function writeLabPlan(dir: string, name: string, hosts: readonly ClusterHost[]): string {
  const prefix = dottedNetwork(name);
  const groups: Record<string, { hosts: Record<string, Vars> }> = {};
  for (const host of hosts) {
    for (const group of host.groups) {
      groups[group] ??= { hosts: {} };
      (groups[group] as { hosts: Record<string, Vars> }).hosts[host.name] = { ansible_host: `${prefix}.${host.octet}`, ...host.vars };
    }
  }
  const file = join(dir, "lab-plan.yaml");
  writeFileSync(file, stringify({ all: { children: { lab_cluster: { children: groups } } } }));
  return file;
}

export async function clusterLab(name: string, hosts: readonly ClusterHost[] = LAB_CLUSTER): Promise<ClusterLab> {
  const dir = mkdtempSync(join(tmpdir(), `runbook-${name}-`));
  const plan = writeLabPlan(dir, name, hosts);
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
      // inventory/lab.yaml carries the plan (group_vars); the plan file and the lab's inventory put the hosts at their lab addresses.
      const inventory = loadInventories([join(PROJECT, "inventory/lab.yaml"), plan, lab.inventoryFile]);
      const playbook = loadPlaybook(join(PROJECT, "playbooks/site.yaml"), { catalog: moduleCatalog, rolesPath: [STUBS] });
      const summary = await runPlaybook({
        playbook,
        inventory,
        options: { ...defaultExecutorOptions, ...options, extraVars: { artifacts_dir: artifactsDir, ...options.extraVars } },
        listeners: [(event) => events.push(event)],
      });
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
