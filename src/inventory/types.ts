/** The loaded inventory (inventory/load.ts): hosts, groups and their variables, Ansible's model. */
import type { SourceLocation } from "../errors.js";

export type Vars = Record<string, unknown>;

export interface InventoryHost {
  readonly name: string;
  /** Where the host was first defined (for errors). */
  readonly where: SourceLocation;
}

export interface InventoryGroup {
  readonly name: string;
  /** Hosts listed directly in this group. */
  readonly hosts: readonly string[];
  /** Direct child groups. */
  readonly children: readonly string[];
}

export interface Inventory {
  /** Every host, in the order first defined. */
  readonly hosts: ReadonlyMap<string, InventoryHost>;
  /** Every group, including the implicit `all` and `ungrouped`. */
  readonly groups: ReadonlyMap<string, InventoryGroup>;
  /**
   * A host's inventory variables, merged as Ansible does: `all` < parent groups < child groups
   * (siblings by ansible_group_priority, then name) < the host's own; group_vars/ and host_vars/
   * files beside the inventory win over variables written inline (Ansible's order: all inline
   * group vars < group_vars/all < other group_vars files < inline host vars < host_vars files).
   */
  hostVars(host: string): Vars;
  /** Ansible's `group_names`: the host's groups (transitively), sorted, without `all` (an ungrouped host has `["ungrouped"]`, as in Ansible). */
  groupNames(host: string): string[];
  /** Ansible's `groups` magic variable: every group (incl. `all`, `ungrouped`) to its hosts, transitively, in inventory order. */
  groupsMap(): Record<string, string[]>;
}
