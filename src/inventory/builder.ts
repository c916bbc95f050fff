/**
 * The mutable inventory the format readers fill (Ansible's InventoryData): hosts and groups in
 * first-definition order, inline variables, group priority, and parent/child links checked for
 * cycles. `model.ts` freezes it into the `Inventory`.
 */
import { dirname } from "node:path";
import { ParseError, type SourceLocation } from "../errors.js";
import type { Vars } from "./types.js";
import { checkInventoryVar, VarTypeProblem } from "./var-checks.js";

export interface HostRecord {
  readonly name: string;
  readonly where: SourceLocation;
  readonly vars: Vars;
}

export interface GroupRecord {
  readonly name: string;
  readonly hosts: string[];
  readonly children: string[];
  readonly parents: Set<string>;
  readonly vars: Vars;
  /** ansible_group_priority: orders sibling groups' variables (higher wins); only set inline. */
  priority: number;
}

export const ALL = "all";
export const UNGROUPED = "ungrouped";

export class InventoryBuilder {
  readonly hosts = new Map<string, HostRecord>();
  readonly groups = new Map<string, GroupRecord>();

  constructor() {
    this.group(ALL);
    this.group(UNGROUPED);
    this.group(ALL).children.push(UNGROUPED);
    this.group(UNGROUPED).parents.add(ALL);
  }

  group(name: string): GroupRecord {
    let group = this.groups.get(name);
    if (!group) {
      group = { name, hosts: [], children: [], parents: new Set(), vars: {}, priority: 1 };
      this.groups.set(name, group);
    }
    return group;
  }

  /** Adds (or finds) a host and lists it in `group`. */
  addHost(name: string, group: string, where: SourceLocation): HostRecord {
    let host = this.hosts.get(name);
    if (!host) {
      host = { name, where, vars: {} };
      this.hosts.set(name, host);
    }
    const members = this.group(group).hosts;
    if (!members.includes(name)) members.push(name);
    return host;
  }

  addChild(parent: string, child: string, where: SourceLocation): void {
    if (child === ALL) {
      throw new ParseError(`group 'all' cannot be a child of '${parent}'`, { location: where, hint: "'all' is the root: every group is already inside it" });
    }
    if (parent === child || this.isAncestor(child, parent)) {
      throw new ParseError(`group '${child}' cannot be a child of '${parent}': that makes a loop`, {
        location: where,
        hint: parent === child ? "a group cannot contain itself" : `'${child}' already contains '${parent}'`,
      });
    }
    const parentGroup = this.group(parent);
    if (!parentGroup.children.includes(child)) parentGroup.children.push(child);
    this.group(child).parents.add(parent);
  }

  setHostVar(host: string, name: string, value: unknown, where: SourceLocation): void {
    const record = this.hosts.get(host);
    if (!record) throw new Error(`internal: unknown host ${host}`);
    const checked = checkedVar(name, value, where);
    this.checkConflict(host, name, checked, where);
    record.vars[name] = checked;
  }

  /** Where each host's inline variables were set, to catch one file defining a host twice with different values. */
  private readonly hostVarSites = new Map<string, SourceLocation>();

  /**
   * A host listed twice in one inventory file with different values for a variable is almost
   * always a mistake (Ansible silently keeps the last); across files, later sources win on purpose.
   */
  private checkConflict(host: string, name: string, value: unknown, where: SourceLocation): void {
    const key = `${host}\u0000${name}`;
    const first = this.hostVarSites.get(key);
    this.hostVarSites.set(key, where);
    if (!first || first.file !== where.file) return;
    const previous = this.hosts.get(host)?.vars[name];
    if (JSON.stringify(previous) === JSON.stringify(value)) return;
    throw new ParseError(`host '${host}' is defined twice with different values for '${name}'`, {
      location: where,
      hint: `first set at ${first.file}:${first.line}:${first.column}; define the host once (or in host_vars/${host}.yaml), or make the values agree`,
    });
  }

  setGroupVar(group: string, name: string, value: unknown, where: SourceLocation): void {
    const record = this.group(group);
    if (name === "ansible_group_priority") {
      record.priority = groupPriority(value, where);
      return;
    }
    record.vars[name] = checkedVar(name, value, where);
  }

  /** Is `candidate` an ancestor of `group` (following parent links)? */
  private isAncestor(candidate: string, group: string): boolean {
    const seen = new Set<string>();
    const stack = [...(this.groups.get(group)?.parents ?? [])];
    while (stack.length > 0) {
      const next = stack.pop() ?? "";
      if (next === candidate) return true;
      if (seen.has(next)) continue;
      seen.add(next);
      stack.push(...(this.groups.get(next)?.parents ?? []));
    }
    return false;
  }
}

/**
 * Validates a known variable's literal value and resolves relative path variables against
 * `baseDir` (by default the directory of the file that sets it).
 */
export function checkedVar(name: string, value: unknown, where: SourceLocation, baseDir = dirname(where.file)): unknown {
  try {
    return checkInventoryVar(name, value, baseDir);
  } catch (error) {
    if (error instanceof VarTypeProblem) throw new ParseError(error.message, { location: where, hint: error.hint });
    throw error;
  }
}

function groupPriority(value: unknown, where: SourceLocation): number {
  const priority = typeof value === "string" && /^-?[0-9]+$/.test(value.trim()) ? Number(value) : value;
  if (typeof priority !== "number" || !Number.isInteger(priority)) {
    throw new ParseError("ansible_group_priority must be an integer", { location: where, hint: "e.g. ansible_group_priority: 10 (default 1)" });
  }
  return priority;
}
