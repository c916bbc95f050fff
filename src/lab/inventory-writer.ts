/**
 * The lab's inventory.yaml: every lab host with how to reach it (address, root, the lab key,
 * the lab's known_hosts), listed in its inventory groups, so a playbook runs unchanged with
 * `-i INVENTORY -i .runbook/lab/NAME/inventory.yaml`.
 */
import { writeFileSync } from "node:fs";
import { stringify } from "yaml";

export interface InventoryLabHost {
  readonly name: string;
  readonly address: string;
  /** The host's eth1 address on the lab's underlay bridge (--underlay). */
  readonly underlayAddress?: string | undefined;
  readonly groups: readonly string[];
}

export function renderInventory(
  hosts: readonly InventoryLabHost[],
  keyFile: string,
  knownHostsFile: string,
  labName: string,
): string {
  const hostVars: Record<string, Record<string, string>> = {};
  const groups = new Map<string, string[]>();
  for (const host of hosts) {
    hostVars[host.name] = {
      ansible_host: host.address,
      ansible_user: "root",
      ansible_ssh_private_key_file: keyFile,
      runbook_known_hosts_file: knownHostsFile,
      ...(host.underlayAddress === undefined ? {} : { runbook_lab_underlay_address: host.underlayAddress }),
    };
    for (const group of host.groups) groups.set(group, [...(groups.get(group) ?? []), host.name]);
  }
  const children: Record<string, { hosts: Record<string, null> }> = {};
  for (const [group, members] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    children[group] = { hosts: Object.fromEntries(members.map((member) => [member, null])) };
  }
  const document = { all: { hosts: hostVars, ...(groups.size > 0 ? { children } : {}) } };
  return `# written by \`runbook lab up --name ${labName}\`; rewritten on every lab up\n${stringify(document, { nullStr: "" })}`;
}

export function renderKnownHosts(hosts: readonly { readonly address: string; readonly publicKey: string }[]): string {
  return hosts.map((host) => `${host.address} ${host.publicKey.trim().split(/\s+/).slice(0, 2).join(" ")}\n`).join("");
}

export function writeInventory(file: string, content: string): void {
  writeFileSync(file, content);
}
