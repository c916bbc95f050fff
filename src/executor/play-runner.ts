/** One play: pick its hosts, gather facts, then pre_tasks, roles+tasks, post_tasks in serial batches, flushing handlers after each. */
import { OptionsError } from "../errors.js";
import { selectHosts } from "../inventory/patterns.js";
import type { Play } from "../playbook/model.js";
import type { RunContext, Scope } from "./context.js";
import { serialBatches } from "./batches.js";
import { gatherPlayFacts } from "./facts-task.js";
import { flushHandlers } from "./handlers.js";
import type { HostState } from "./host-state.js";
import { strategies } from "./strategy.js";

export async function runPlay(ctx: RunContext, play: Play): Promise<void> {
  if (ctx.options.role !== undefined && !play.roles.some((role) => role.name === ctx.options.role)) return;
  const hosts = playHosts(ctx, play);
  ctx.emit({ type: "play-start", play, hosts: hosts.map((host) => host.name) });
  if (hosts.length === 0) {
    ctx.emit({ type: "warning", message: `no hosts matched '${play.hosts}'${ctx.options.limit ? ` with --limit ${ctx.options.limit}` : ""}; skipping play` });
    return;
  }
  const names = hosts.map((host) => host.name);
  if (play.gatherFacts) {
    // Read the first tasks' probes along with the facts, in the scope of the first batch.
    const nodes = [play.preTasks, play.tasks, play.postTasks].find((section) => section.length > 0) ?? [];
    const firstBatch = serialBatches(hosts, play.serial)[0] ?? [];
    await gatherPlayFacts(ctx, play, hosts, { scope: playScope(play, names, firstBatch.map((host) => host.name)), nodes });
  }
  const strategy = strategies[play.strategy];
  for (const batch of serialBatches(hosts, play.serial)) {
    const scope = playScope(play, names, batch.map((host) => host.name));
    for (const section of [play.preTasks, play.tasks, play.postTasks]) {
      if (ctx.interrupted()) break;
      await strategy(ctx, scope, section, batch);
      await flushHandlers(ctx, scope, batch);
    }
    if (tooManyFailed(play, batch)) {
      for (const host of hosts) if (host.active) host.fate = "ended";
      ctx.emit({ type: "warning", message: `play '${play.name}' stopped: max_fail_percentage ${play.maxFailPercentage}% exceeded` });
    }
    if (ctx.interrupted()) break;
  }
  // Hosts that a play ended (end_play, any_errors_fatal) take part in later plays again.
  for (const host of hosts) if (host.fate === "ended") host.fate = "active";
  ctx.emit({ type: "play-end", play });
}

/** The scope a play's top-level tasks run in, for one serial batch. */
export function playScope(play: Play, playHosts: readonly string[], batchHosts: readonly string[]): Scope {
  return {
    play,
    playHosts,
    batchHosts,
    when: [],
    tags: play.tags,
    blockVars: [],
    ignoreErrors: false,
    noLog: false,
    isHandler: false,
  };
}

/** The play's hosts, narrowed by --limit; hosts that failed or were unreachable earlier stay out, as in Ansible. */
function playHosts(ctx: RunContext, play: Play): HostState[] {
  let names: string[];
  try {
    names = selectHosts(ctx.inventory, play.hosts, play.where);
  } catch (error) {
    if (error instanceof OptionsError) {
      ctx.emit({ type: "warning", message: `play '${play.name}': ${error.message}` });
      return [];
    }
    throw error;
  }
  if (ctx.options.limit !== undefined) {
    const limited = new Set(selectHosts(ctx.inventory, ctx.options.limit));
    names = names.filter((name) => limited.has(name));
  }
  return names.map((name) => ctx.hosts.get(name)).filter((host): host is HostState => host !== undefined && host.active);
}

function tooManyFailed(play: Play, batch: readonly HostState[]): boolean {
  if (play.maxFailPercentage === undefined || batch.length === 0) return false;
  const failed = batch.filter((host) => host.fate === "failed" || host.fate === "unreachable").length;
  return (failed / batch.length) * 100 > play.maxFailPercentage;
}
