/** The variables a task sees on one host, assembled by precedence (vars/precedence.ts). */
import type { TaskNode, Vars } from "../playbook/model.js";
import { magicVars } from "../vars/magic.js";
import { lazyVars } from "../vars/lazy.js";
import { mergeVars } from "../vars/precedence.js";
import type { RunContext, Scope } from "./context.js";
import { fateRevision, type HostState } from "./host-state.js";
import { connectionName } from "./login.js";

/** The parts of the run's context that variables come from (pre-flight passes only these). */
export type VarsContext = Pick<RunContext, "playbook" | "inventory" | "options" | "hostvars" | "groups"> & Partial<Pick<RunContext, "hosts">>;

/** The hosts of a list that have not failed nor become unreachable: Ansible's ansible_play_hosts and ansible_play_batch. */
function standing(ctx: VarsContext, names: readonly string[]): readonly string[] {
  const hosts = ctx.hosts;
  if (hosts === undefined) return names;
  // every host's every task reads it: filter again only when a fate has changed since
  const known = standingLists.get(names);
  if (known !== undefined && known.revision === fateRevision() && known.hosts === hosts) return known.list;
  const list = names.filter((name) => {
    const fate = hosts.get(name)?.fate;
    return fate !== "failed" && fate !== "unreachable";
  });
  standingLists.set(names, { revision: fateRevision(), hosts, list });
  return list;
}

const standingLists = new WeakMap<readonly string[], { readonly revision: number; readonly hosts: ReadonlyMap<string, HostState>; readonly list: readonly string[] }>();

/**
 * Templated values (`b: "{{ a }}-y"`) are rendered when read, against these same variables
 * (vars/lazy.ts). Registered results and set_fact values are data, never templates (a command's
 * output may well contain "{{"), as are the magic variables.
 */
export function taskVars(ctx: VarsContext, scope: Scope, task: TaskNode, host: HostState): Vars {
  const role = task.role ?? scope.role;
  const merged = mergeVars({
    roleDefaults: role?.defaults,
    inventory: host.inventoryVars,
    facts: host.factVars,
    play: scope.play.vars,
    roleVars: role?.vars,
    blocks: scope.blockVars,
    task: task.vars,
    // registered results and set_fact values join below as data (`runtime`): a copy here would
    // only be shadowed by them, or by -e, which wins over both
    runtime: {},
    extra: ctx.options.extraVars,
    magic: {},
  });
  addConnectionVars(merged, ctx, scope, task);
  const runtime = Object.fromEntries(Object.entries(host.runtimeVars).filter(([key]) => !Object.hasOwn(ctx.options.extraVars, key)));
  const magic = magicVars({
    host: host.name,
    groupNames: host.groupNames,
    groups: ctx.groups,
    hostvars: ctx.hostvars,
    playHosts: scope.playHosts,
    batchHosts: scope.batchHosts,
    standingPlayHosts: standing(ctx, scope.playHosts),
    standingBatchHosts: standing(ctx, scope.batchHosts),
    playbookDir: ctx.playbook.baseDir,
    roleName: role?.name,
    rolePath: role?.path,
    check: ctx.options.check,
    diff: ctx.options.diff,
    tags: ctx.options.tags,
    skipTags: ctx.options.skipTags,
    inventoryFile: ctx.inventory.hosts.get(host.name)?.where.file,
  });
  return lazyVars(merged, { ...runtime, ...magic }, task.where);
}

/**
 * ansible_user and ansible_connection as Ansible shows them to a task: a variable of that name
 * (inventory, play, -e) as it is, or ansible_ssh_user; else the task's `remote_user` (its block's, role's, the play's,
 * else -u), which is left undefined when none is set; and the `connection` keyword, else ssh
 * (smart read as ssh). Templated keywords stay templates, rendered when read.
 */
function addConnectionVars(merged: Vars, ctx: VarsContext, scope: Scope, task: TaskNode): void {
  if (merged["ansible_user"] === undefined) {
    // ansible_ssh_user is the older name of the same setting, and Ansible shows it as ansible_user too
    const user = merged["ansible_ssh_user"] ?? task.remoteUser ?? scope.remoteUser ?? ctx.options.remoteUser;
    if (user !== undefined) merged["ansible_user"] = user;
  }
  if (merged["ansible_connection"] === undefined) {
    const connection = task.connection ?? scope.connection;
    merged["ansible_connection"] = connection === undefined ? "ssh" : connectionName(connection);
  }
}
