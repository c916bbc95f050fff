/**
 * Freezes a filled InventoryBuilder into the read-only `Inventory`: Ansible's reconciliation
 * (every group under `all`, hosts without a group in `ungrouped`) and variable precedence.
 */
import { ALL, UNGROUPED, type GroupRecord, type InventoryBuilder } from "./builder.js";
import type { Inventory, InventoryGroup, InventoryHost, Vars } from "./types.js";

/** Variables from one inventory source's group_vars/ and host_vars/ directories. */
export interface FileVars {
  readonly groups: ReadonlyMap<string, Vars>;
  readonly hosts: ReadonlyMap<string, Vars>;
}

/** Ansible's reconcile_inventory: run once every source is read. */
export function reconcile(builder: InventoryBuilder): void {
  const all = builder.group(ALL);
  for (const group of builder.groups.values()) {
    if (group.name !== ALL && group.parents.size === 0) {
      all.children.push(group.name);
      group.parents.add(ALL);
    }
  }
  const grouped = new Set<string>();
  for (const group of builder.groups.values()) {
    if (group.name !== ALL && group.name !== UNGROUPED) for (const host of group.hosts) grouped.add(host);
  }
  const ungrouped = builder.group(UNGROUPED).hosts;
  ungrouped.splice(0, ungrouped.length, ...[...builder.hosts.keys()].filter((host) => !grouped.has(host)));
}

export class LoadedInventory implements Inventory {
  readonly hosts: ReadonlyMap<string, InventoryHost>;
  readonly groups: ReadonlyMap<string, InventoryGroup>;
  /** Each host's groups, transitively, including `all`. */
  private readonly memberOf = new Map<string, Set<string>>();
  private readonly depth = new Map<string, number>();
  private readonly varsCache = new Map<string, Vars>();

  constructor(
    private readonly builder: InventoryBuilder,
    private readonly fileVars: readonly FileVars[],
  ) {
    this.hosts = new Map([...builder.hosts].map(([name, host]) => [name, { name, where: host.where }]));
    this.groups = new Map(
      [...builder.groups].map(([name, group]) => [name, { name, hosts: [...group.hosts], children: [...group.children] }]),
    );
    for (const host of builder.hosts.keys()) this.memberOf.set(host, new Set());
    for (const group of builder.groups.values()) {
      for (const host of group.hosts) this.addWithAncestors(host, group.name);
    }
  }

  hostVars(host: string): Vars {
    let vars = this.varsCache.get(host);
    if (!vars) {
      vars = this.mergeVars(host);
      this.varsCache.set(host, vars);
    }
    return { ...vars };
  }

  groupNames(host: string): string[] {
    return [...this.groupsOf(host)].filter((group) => group !== ALL).sort();
  }

  groupsMap(): Record<string, string[]> {
    const map: Record<string, string[]> = {};
    for (const group of this.groups.keys()) {
      map[group] = [...this.hosts.keys()].filter((host) => this.memberOf.get(host)?.has(group));
    }
    return map;
  }

  /**
   * Ansible's order (VariableManager.get_vars, default VARIABLE_PRECEDENCE): inline vars of
   * `all`, then of the host's other groups; group_vars/all files, then the other groups' files;
   * then the host's inline vars and its host_vars files. Groups go by depth, priority, name;
   * files go source by source. Each step replaces whole top-level keys.
   */
  private mergeVars(host: string): Vars {
    const record = this.builder.hosts.get(host);
    if (!record) throw new Error(`unknown host '${host}'`);
    const groups = this.sortedGroups(host);
    const vars: Vars = { ...this.builder.group(ALL).vars };
    for (const group of groups) Object.assign(vars, group.vars);
    for (const files of this.fileVars) Object.assign(vars, files.groups.get(ALL));
    for (const files of this.fileVars) for (const group of groups) Object.assign(vars, files.groups.get(group.name));
    Object.assign(vars, record.vars);
    for (const files of this.fileVars) Object.assign(vars, files.hosts.get(host));
    return vars;
  }

  private sortedGroups(host: string): GroupRecord[] {
    return [...this.groupsOf(host)]
      .filter((name) => name !== ALL)
      .map((name) => this.builder.group(name))
      .sort((a, b) => this.depthOf(a.name) - this.depthOf(b.name) || a.priority - b.priority || compare(a.name, b.name));
  }

  private groupsOf(host: string): Set<string> {
    const groups = this.memberOf.get(host);
    if (!groups) throw new Error(`unknown host '${host}'`);
    return groups;
  }

  private addWithAncestors(host: string, group: string): void {
    const groups = this.memberOf.get(host);
    if (!groups || groups.has(group)) return;
    groups.add(group);
    for (const parent of this.builder.group(group).parents) this.addWithAncestors(host, parent);
  }

  /** The longest path from `all`, as Ansible's Group.depth. */
  private depthOf(group: string): number {
    const known = this.depth.get(group);
    if (known !== undefined) return known;
    const parents = [...this.builder.group(group).parents];
    const depth = parents.length === 0 ? 0 : Math.max(...parents.map((parent) => this.depthOf(parent) + 1));
    this.depth.set(group, depth);
    return depth;
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
