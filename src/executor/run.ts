/** The executor's entry point: runs a loaded playbook against a loaded inventory, emitting events. */
import PQueue from "p-queue";
import type { Inventory } from "../inventory/types.js";
import type { Playbook, Vars } from "../playbook/model.js";
import { Connections, type ConnectionDefaults, type TransportFactory } from "./connections.js";
import { createEmitter, type RunContext } from "./context.js";
import type { EventListener, HostStats } from "./events.js";
import { HostState } from "./host-state.js";
import type { ExecutorOptions } from "./options.js";
import { runPlay, upcomingPlays } from "./play-runner.js";
import { ProbeCache } from "./probe-cache.js";
import { ReadAhead } from "./lookahead.js";
import { inventoryMagicVars, runMagicVars } from "../vars/magic.js";
import { runBreather } from "./breather.js";

/** What happened, per host; the CLI turns it into an exit code (cli/exit-code.ts). */
export interface RunSummary {
  readonly stats: ReadonlyMap<string, HostStats>;
  readonly interrupted: boolean;
}

export interface RunInput {
  readonly playbook: Playbook;
  readonly inventory: Inventory;
  readonly options: ExecutorOptions;
  readonly listeners: readonly EventListener[];
  readonly connection?: ConnectionDefaults | undefined;
  /** Transports made here instead of from the inventory's connection settings. */
  readonly transports?: TransportFactory | undefined;
}

export async function runPlaybook(input: RunInput): Promise<RunSummary> {
  const { playbook, inventory, options } = input;
  const emit = createEmitter(input.listeners);
  const hostvars: Record<string, Vars> = {};
  const hosts = new Map<string, HostState>();
  const runMagic = runMagicVars({ playbookDir: playbook.baseDir, check: options.check, diff: options.diff, tags: options.tags, skipTags: options.skipTags });
  for (const name of inventory.hosts.keys()) {
    hostvars[name] = {};
    const magic = { ...runMagic, ...inventoryMagicVars(inventory.hosts.get(name)?.where.file) };
    hosts.set(name, new HostState(name, inventory.hostVars(name), hostvars[name], inventory.groupNames(name), magic));
  }
  const connections = new Connections(inventory, { ...input.connection, user: options.remoteUser }, options.extraVars, input.transports);
  const ctx: RunContext = {
    playbook,
    inventory,
    options,
    connections,
    hosts,
    hostvars,
    groups: inventory.groupsMap(),
    queue: new PQueue({ concurrency: Math.max(1, options.forks) }),
    stats: new Map(),
    probeCache: new ProbeCache(),
    readAhead: new ReadAhead(),
    breather: runBreather(),
    startAt: { pending: options.startAtTask },
    includedRoles: new WeakMap(),
    emit,
    interrupted: () => options.signal?.aborted ?? false,
  };
  try {
    for (const [index, play] of playbook.plays.entries()) {
      if (ctx.interrupted()) break;
      await runPlay(ctx, play, () => upcomingPlays(ctx, playbook.plays, index + 1));
    }
  } finally {
    await connections.closeAll();
  }
  const interrupted = ctx.interrupted();
  if (interrupted) emit({ type: "interrupted" });
  emit({ type: "run-end", stats: ctx.stats, interrupted });
  return { stats: ctx.stats, interrupted };
}
