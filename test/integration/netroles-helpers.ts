/**
 * Shared by the netroles-* suites: a systemd lab with Open vSwitch and Docker baked into its
 * rootfs (and a second NIC for the tunnel underlay), playbook runs through the engine's API,
 * and commands on the hosts.
 */
import { SYSTEMD_LAB_PACKAGES } from "./helpers/rootfs.js";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import type { RunEvent } from "../../src/executor/events.js";
import { defaultExecutorOptions, type ExecutorOptions } from "../../src/executor/options.js";
import { runPlaybook, type RunSummary } from "../../src/executor/run.js";
import { withExitCode } from "../../src/cli/exit-codes.js";
import { loadInventories } from "../../src/inventory/load.js";
import { labDown, labExec, labUp, type LabInfo } from "../../src/lab/index.js";
import { moduleCatalog } from "../../src/modules/registry.js";
import { loadPlaybook } from "../../src/playbook/load.js";

export const NET_PACKAGES = SYSTEMD_LAB_PACKAGES;
const REPO = join(import.meta.dirname, "../..");
export const FIXTURES = join(REPO, "test/fixtures/netroles");

export async function sh(lab: string, host: string, script: string): Promise<{ rc: number; stdout: string; stderr: string }> {
  return labExec(lab, host, ["sh", "-c", script]);
}

/** Brings the lab up and waits until dockerd and Open vSwitch answer on every host. */
export async function netLabUp(name: string, hosts: number): Promise<LabInfo> {
  await labDown(name);
  const lab = await labUp({ name, hosts, init: "systemd", underlay: true, packages: NET_PACKAGES });
  for (const host of lab.hosts) {
    for (let attempt = 0; ; attempt++) {
      const ready = await sh(name, host.name, "docker info >/dev/null 2>&1 && ovs-vsctl show >/dev/null 2>&1");
      if (ready.rc === 0) break;
      if (attempt > 120) throw new Error(`${host.name}: docker or ovs did not come up`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  return lab;
}

export interface PlaybookRun {
  readonly summary: RunSummary & { readonly exitCode: number };
  readonly events: readonly RunEvent[];
  /** Changed tasks summed over the hosts. */
  readonly changed: number;
  /** "task@host" of every failure, with its message, for assertion messages. */
  readonly failures: string[];
}

export async function runNetPlaybook(file: string, inventories: readonly string[], options: Partial<ExecutorOptions> = {}): Promise<PlaybookRun> {
  const events: RunEvent[] = [];
  const summary = withExitCode(await runPlaybook({
    playbook: loadPlaybook(join(FIXTURES, file), { catalog: moduleCatalog, rolesPath: [join(REPO, "roles")] }),
    inventory: loadInventories(inventories),
    options: { ...defaultExecutorOptions, ...options },
    listeners: [(event) => events.push(event)],
  }));
  const changed = [...summary.stats.values()].reduce((sum, stats) => sum + stats.changed, 0);
  const failures = events.flatMap((event) => (event.type === "task-result" && event.result.status === "failed" ? [`${event.task.name}@${event.result.host}: ${event.result.msg ?? ""}`] : []));
  return { summary, events, changed, failures };
}

/** Names of the tasks that reported changed (per host), for readable assertions. */
export function changedTasks(run: PlaybookRun): string[] {
  return run.events.flatMap((event) => (event.type === "task-result" && event.result.status === "changed" ? [`${event.task.name}@${event.result.host}`] : []));
}

/** Each lab host's second-NIC address, from the inventory the lab wrote. */
function underlayAddresses(lab: LabInfo): Map<string, string> {
  const inventory = parse(readFileSync(lab.inventoryFile, "utf8")) as { all: { hosts: Record<string, { runbook_lab_underlay_address?: string }> } };
  return new Map(Object.entries(inventory.all.hosts).flatMap(([name, vars]) => (vars.runbook_lab_underlay_address === undefined ? [] : [[name, vars.runbook_lab_underlay_address]])));
}

/** The container subnet planned for lab host hN: 172.17.(N+1)0.1/24, as in seed 000 (h1 172.17.20.1). */
export function dockerBip(host: string): string {
  return `172.17.${(Number(host.replace(/\D/g, "")) + 1) * 10}.1/24`;
}

/** An inventory with group `nodes` (docker_bip, tunnel address per host) over the lab's hosts. */
export function writeNodesInventory(lab: LabInfo, file: string, nodes: readonly string[]): string {
  const underlay = underlayAddresses(lab);
  const hosts = Object.fromEntries(
    nodes.map((name) => {
      const address = underlay.get(name);
      if (address === undefined) throw new Error(`${name} has no underlay address`);
      return [name, { docker_bip: dockerBip(name), ovs_tunnel_address: address }];
    }),
  );
  const inventory = { all: { children: { nodes: { hosts, vars: { ovs_datapath: "netdev", ovs_underlay_interface: "eth1" } } } } };
  writeFileSync(file, stringify(inventory));
  return file;
}
