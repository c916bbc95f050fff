/**
 * What the lab needs from the user's inventories (loaded by the project's own loader, so
 * ranges, group_vars and host_vars work as in a run): each host's name, its ansible_host, and
 * the groups that list it directly.
 */
import type { SourceLocation } from "../errors.js";
import { loadInventories } from "../inventory/index.js";

export interface InventoryHostEntry {
  readonly name: string;
  /** ansible_host when it is a plain string, else undefined. */
  readonly address: string | undefined;
  readonly groups: readonly string[];
  readonly where: SourceLocation;
}

export function readInventoryHosts(files: readonly string[]): InventoryHostEntry[] {
  const inventory = loadInventories(files);
  const direct = new Map<string, string[]>();
  for (const group of inventory.groups.values()) {
    if (group.name === "all" || group.name === "ungrouped") continue;
    for (const host of group.hosts) direct.set(host, [...(direct.get(host) ?? []), group.name]);
  }
  return [...inventory.hosts.values()].map((host) => {
    const address = inventory.hostVars(host.name).ansible_host;
    return {
      name: host.name,
      address: typeof address === "string" ? address : undefined,
      groups: [...new Set(direct.get(host.name) ?? [])].sort(),
      where: host.where,
    };
  });
}
