/** One play: pick its hosts, gather facts, then pre_tasks, roles+tasks, post_tasks in serial batches, flushing handlers after each. */
import { OptionsError } from "../errors.js";
import { selectHosts } from "../inventory/patterns.js";
import type { Inventory } from "../inventory/types.js";
import type { Node, Play } from "../playbook/model.js";
import type { RunContext, Scope } from "./context.js";
import { serialBatches } from "./batches.js";
import { gatherPlayFacts } from "./facts-task.js";
import { flushHandlers } from "./handlers.js";
import type { HostState } from "./host-state.js";
import type { Upcoming } from "./lookahead.js";
import { playScope } from "./scopes.js";
import { strategies } from "./strategy.js";

export async function runPlay(ctx: RunContext, play: Play, next: () => Upcoming | undefined = () => undefined): Promise<void> {
  if (!playRuns(ctx, play)) return;
  const { hosts, unmatched } = playHosts(ctx, play);
  ctx.emit({ type: "play-start", play, hosts: hosts.map((host) => host.name) });
  if (hosts.length === 0) {
    // one warning per play: why the pattern matched nothing, or that --limit left nobody
    const why = unmatched ?? `no hosts matched '${play.hosts}'${ctx.options.limit ? ` with --limit ${ctx.options.limit}` : ""}`;
    ctx.emit({ type: "warning", message: `play '${play.name}': ${why}; skipping play` });
    return;
  }
  const names = hosts.map((host) => host.name);
  const sections = [play.preTasks, play.tasks, play.postTasks];
  // With serial, the next batch's hosts wait for this one: read ahead only within a batch.
  const afterBatch = play.serial.length > 0 ? () => undefined : next;
  if (play.gatherFacts) {
    // Read the first tasks' probes along with the facts, in the scope of the first batch.
    const firstBatch = serialBatches(hosts, play.serial)[0] ?? [];
    await gatherPlayFacts(ctx, play, hosts, sectionsAhead(playScope(play, names, firstBatch.map((host) => host.name)), sections, afterBatch));
  }
  const strategy = strategies[play.strategy];
  for (const batch of serialBatches(hosts, play.serial)) {
    const scope = playScope(play, names, batch.map((host) => host.name));
    for (const [index, section] of sections.entries()) {
      if (ctx.interrupted()) break;
      ctx.readAhead.enter(section, scope, sectionsAhead(scope, sections.slice(index + 1), afterBatch));
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

/**
 * What plays[index] and the plays after it will run, as seen before they start, for reading
 * probes ahead across plays: each play's sections, for the hosts it would select now.
 */
export function upcomingPlays(ctx: RunContext, plays: readonly Play[], index: number): Upcoming | undefined {
  const play = plays[index];
  if (play === undefined) return undefined;
  const then = (): Upcoming | undefined => upcomingPlays(ctx, plays, index + 1);
  if (!playRuns(ctx, play)) return then();
  if (play.serial.length > 0) return undefined;
  const names = playHosts(ctx, play).hosts.map((host) => host.name);
  if (names.length === 0) return then();
  return sectionsAhead(playScope(play, names, names), [play.preTasks, play.tasks, play.postTasks], then, names);
}

function sectionsAhead(
  scope: Scope,
  sections: readonly (readonly Node[])[],
  then: () => Upcoming | undefined,
  hosts?: readonly string[],
): Upcoming | undefined {
  const [first, ...rest] = sections;
  if (first === undefined) return then();
  return { scope, nodes: first, hosts, afterHandlers: true, then: () => sectionsAhead(scope, rest, then, hosts) };
}

/** --role runs only the plays that apply that role. */
function playRuns(ctx: RunContext, play: Play): boolean {
  return ctx.options.role === undefined || play.roles.some((role) => role.name === ctx.options.role);
}

/** The play's hosts, narrowed by --limit; hosts that failed or were unreachable earlier stay out, as in Ansible. */
function playHosts(ctx: RunContext, play: Play): { hosts: HostState[]; unmatched?: string } {
  let names: string[];
  try {
    names = playHostNames(ctx.inventory, play, ctx.options.limit);
  } catch (error) {
    if (error instanceof OptionsError) return { hosts: [], unmatched: error.message };
    throw error;
  }
  return { hosts: names.map((name) => ctx.hosts.get(name)).filter((host): host is HostState => host !== undefined && host.active) };
}

/** The inventory hosts a play's `hosts:` pattern selects, narrowed by --limit, in the play's `order`; OptionsError when it matches nothing. */
export function playHostNames(inventory: Inventory, play: Play, limit: string | undefined): string[] {
  const names = selectHosts(inventory, play.hosts, play.where);
  if (limit === undefined) return inOrder(names, play.order);
  const limited = new Set(selectHosts(inventory, limit));
  return inOrder(names.filter((name) => limited.has(name)), play.order);
}

/** Ansible's play `order`: the inventory's, reversed, sorted by name (either way) or shuffled. */
function inOrder(names: string[], order: Play["order"]): string[] {
  switch (order) {
    case undefined:
    case "inventory":
      return names;
    case "reverse_inventory":
      return [...names].reverse();
    case "sorted":
      return [...names].sort();
    case "reverse_sorted":
      return [...names].sort().reverse();
    case "shuffle":
      return shuffled(names);
  }
}

function shuffled(names: readonly string[]): string[] {
  const out = [...names];
  for (let index = out.length - 1; index > 0; index -= 1) {
    const other = Math.floor(Math.random() * (index + 1));
    [out[index], out[other]] = [out[other] as string, out[index] as string];
  }
  return out;
}

function tooManyFailed(play: Play, batch: readonly HostState[]): boolean {
  if (play.maxFailPercentage === undefined || batch.length === 0) return false;
  const failed = batch.filter((host) => host.fate === "failed" || host.fate === "unreachable").length;
  return (failed / batch.length) * 100 > play.maxFailPercentage;
}
