/** The state one run shares across plays, hosts and tasks, passed explicitly (no globals). */
import PQueue from "p-queue";
import type { IncludeChain } from "../playbook/include-chain.js";
import type { Inventory } from "../inventory/types.js";
import type { Flag, Play, Playbook, RoleInfo, Vars } from "../playbook/model.js";
import type { SourceLocation } from "../errors.js";
import type { Connections } from "./connections.js";
import { emptyStats, isIgnored, type EventListener, type HostStats, type RunEvent, type TaskResult, type TaskRef } from "./events.js";
import type { HostState } from "./host-state.js";
import type { ProbeCache } from "./probe-cache.js";
import type { ReadAhead } from "./lookahead.js";
import type { Breather } from "./breather.js";
import type { ExecutorOptions } from "./options.js";

export interface RunContext {
  readonly playbook: Playbook;
  readonly inventory: Inventory;
  readonly options: ExecutorOptions;
  readonly connections: Connections;
  readonly hosts: ReadonlyMap<string, HostState>;
  /** hostvars: every inventory host's public variables, updated in place. */
  readonly hostvars: Record<string, Vars>;
  readonly groups: Record<string, string[]>;
  /** Bounds how many host-tasks run at once (forks). */
  readonly queue: PQueue;
  readonly stats: Map<string, HostStats>;
  /** Probe results read ahead of the tasks that need them (probe-cache.ts). */
  readonly probeCache: ProbeCache;
  /** What follows each node in the run, for reading ahead (lookahead.ts). */
  readonly readAhead: ReadAhead;
  /** Lets the event loop turn between host-tasks when the run has held it long (breather.ts). */
  readonly breather: Breather;
  /** --start-at-task: the task name still waited for, cleared once reached. */
  readonly startAt: { pending: string | undefined };
  /** Per play, the include_roles that have included their role: their handler copies are live. */
  readonly includedRoles: WeakMap<Play, Set<string>>;
  emit(event: RunEvent): void;
  /** True once SIGINT asked the run to stop starting tasks. */
  interrupted(): boolean;
}

/** What blocks, roles and includes pass down to the tasks inside them. */
export interface Scope {
  readonly play: Play;
  readonly playHosts: readonly string[];
  readonly batchHosts: readonly string[];
  readonly when: readonly Condition[];
  readonly tags: readonly string[];
  readonly become?: Flag | undefined;
  readonly becomeUser?: string | undefined;
  /** The nearest `remote_user`/`connection` (block, role, include, else the play's), raw. */
  readonly remoteUser?: string | undefined;
  readonly connection?: string | undefined;
  /** A block's or include's `check_mode`, for the tasks inside. */
  readonly checkMode?: Flag | undefined;
  readonly blockVars: readonly Vars[];
  /** The nearest block's or include's `ignore_errors` (a task's own wins over it). */
  readonly ignoreErrors?: Flag | undefined;
  readonly anyErrorsFatal?: Flag | undefined;
  readonly ignoreUnreachable?: boolean | undefined;
  readonly noLog: boolean;
  readonly role?: RoleInfo | undefined;
  readonly isHandler: boolean;
  /** The include_tasks files these tasks were reached through (include-chain.ts). */
  readonly includeChain?: IncludeChain | undefined;
}

export interface Condition {
  readonly expr: string;
  readonly where: SourceLocation;
}

export function createEmitter(listeners: readonly EventListener[]): (event: RunEvent) => void {
  return (event) => {
    for (const listener of listeners) listener(event);
  };
}

/** Counts a result in the recap the way Ansible does and forwards it. */
export function recordResult(ctx: RunContext, task: TaskRef, result: TaskResult): void {
  let stats = ctx.stats.get(result.host);
  if (!stats) {
    stats = emptyStats();
    ctx.stats.set(result.host, stats);
  }
  if (isIgnored(result)) {
    stats.ok += 1;
    stats.ignored += 1;
    if (result.status === "failed" && result.changed === true) stats.changed += 1;
  } else if (result.status === "changed") {
    stats.ok += 1;
    stats.changed += 1;
  } else {
    stats[result.status] += 1;
  }
  ctx.emit({ type: "task-result", task, result });
}
