/**
 * Runs a list of playbook nodes (tasks, blocks, includes, meta) for a group of hosts in
 * lockstep: every host in the group finishes node N before any starts node N+1. The linear
 * strategy calls this with all hosts; the free strategy with one host per call.
 * Whoever starts a list tells the read-ahead what follows it (ctx.readAhead.enter), so that
 * a task's later probes can ride along with its own (lookahead.ts).
 */
import type { BlockNode, Flag, IncludeNode, MetaNode, Node, TaskNode, Vars } from "../playbook/model.js";
import { evaluateCondition, renderValue } from "../template/index.js";
import type { RunContext, Scope } from "./context.js";
import type { TaskResult } from "./events.js";
import { recordResult } from "./context.js";
import type { HostState } from "./host-state.js";
import { Semaphore } from "../transport/semaphore.js";
import { flagValue } from "./flags.js";
import { flushHandlers } from "./handlers.js";
import { includedTasks } from "./include-file.js";
import { loopItemVars, renderLoopItems } from "./loop-items.js";
import { loopItemLabel } from "./loop-label.js";
import { extendVars } from "../vars/lazy.js";
import type { Upcoming } from "./lookahead.js";
import { blockScope, conditionsOf, includeScope } from "./scopes.js";
import { selectedByTags, selectedTask } from "./tags.js";
import { runIncludedRole } from "./include-role.js";
import { runTaskOnHost, taskRef, thrown } from "./task-runner.js";
import { taskVars } from "./task-vars.js";

export async function runNodes(ctx: RunContext, scope: Scope, nodes: readonly Node[], hosts: readonly HostState[]): Promise<void> {
  for (const node of nodes) {
    const active = hosts.filter((host) => host.active);
    if (active.length === 0 || ctx.interrupted()) return;
    switch (node.kind) {
      case "task":
        await runTask(ctx, scope, node, active);
        break;
      case "block":
        await runBlock(ctx, scope, node, active);
        break;
      case "include":
        await runInclude(ctx, scope, node, active);
        break;
      case "meta":
        await runMeta(ctx, scope, node, active);
        break;
    }
  }
}

/** Whether --tags/--skip-tags/--role/--start-at-task let this task run at all. */
function wanted(ctx: RunContext, scope: Scope, task: TaskNode): boolean {
  if (!scope.isHandler && ctx.startAt.pending !== undefined) {
    if (task.name !== ctx.startAt.pending) return false;
    ctx.startAt.pending = undefined;
  }
  return selectedTask(ctx.options, scope, task);
}

async function runTask(ctx: RunContext, scope: Scope, task: TaskNode, hosts: readonly HostState[]): Promise<void> {
  if (!wanted(ctx, scope, task)) return;
  const ref = taskRef(task, scope);
  // a templated run_once is rendered with the first host's variables, as Ansible's linear strategy does
  const first = hosts[0];
  const firstFlag = (flag: Flag): boolean => (typeof flag === "boolean" || first === undefined ? flag === true : flagValue(flag, taskVars(ctx, scope, task, first), task.where));
  const runOnce = firstFlag(task.runOnce);
  const targets = runOnce ? hosts.slice(0, 1) : hosts;
  ctx.emit({ type: "task-start", task: ref, hosts: targets.map((host) => host.name) });
  // throttle (the task's, within the play's): hosts wait for a slot before they take one of the run's forks
  const throttle = Math.min(task.throttle ?? Infinity, scope.play.throttle ?? Infinity);
  const gate = throttle === Infinity ? undefined : new Semaphore(throttle);
  const results = await Promise.all(
    targets.map(async (host) => {
      const release = await gate?.acquire();
      try {
        return await ctx.queue.add(async () => {
          // queued before SIGINT but not started yet: it stays unstarted
          if (ctx.interrupted()) return undefined;
          const pause = ctx.breather.pause();
          if (pause !== undefined) {
            await pause;
            if (ctx.interrupted()) return undefined;
          }
          const result = await runTaskOnHost(ctx, scope, task, host);
          recordResult(ctx, ref, result);
          return result;
        });
      } finally {
        release?.();
      }
    }),
  );
  if (runOnce && task.register) {
    // run_once: every host of the group sees the one result, as in Ansible.
    const value = hosts[0]?.runtimeVars[task.register];
    for (const host of hosts.slice(1)) host.setRuntimeVars({ [task.register]: value });
  }
  const fatalFlag = task.anyErrorsFatal ?? scope.anyErrorsFatal;
  const fatal = fatalFlag === undefined ? scope.play.anyErrorsFatal : firstFlag(fatalFlag);
  if (fatal && results.some((result) => result?.status === "failed" && !result.ignored)) {
    for (const host of hosts) if (host.active) host.fate = "ended";
  }
}

async function runBlock(ctx: RunContext, scope: Scope, block: BlockNode, hosts: readonly HostState[]): Promise<void> {
  if (block.includedRole !== undefined) return runIncludedRole(ctx, scope, block, hosts);
  await runBlockBody(ctx, scope, block, hosts);
}

/** A block's tasks, then its rescue for the hosts that failed, then its always (`position`: the node the read-ahead knows). */
export async function runBlockBody(ctx: RunContext, scope: Scope, block: BlockNode, hosts: readonly HostState[], position: Node = block): Promise<void> {
  if (hosts.length === 0) return;
  const inner = blockScope(scope, block);
  const after = ctx.readAhead.after(position);
  const thenAlways: Upcoming = { scope: inner, nodes: block.always, then: () => after };
  ctx.readAhead.enter(block.block, inner, thenAlways);
  ctx.readAhead.enter(block.rescue, inner, thenAlways);
  ctx.readAhead.enter(block.always, inner, after);
  await runNodes(ctx, inner, block.block, hosts);
  const failed = hosts.filter((host) => host.fate === "failed");
  if (failed.length > 0 && block.rescue.length > 0) {
    for (const host of failed) {
      host.fate = "active";
      // what failed, as Ansible tells a rescue
      if (host.lastFailure) host.setRuntimeVars({ ansible_failed_task: host.lastFailure.task, ansible_failed_result: host.lastFailure.result });
      const stats = ctx.stats.get(host.name);
      if (stats) {
        stats.failed -= 1;
        stats.rescued += 1;
      }
    }
    await runNodes(ctx, inner, block.rescue, failed);
  }
  if (block.always.length > 0) {
    // `always` runs on hosts that failed in the block too, then they stay failed.
    const stillFailed = hosts.filter((host) => host.fate === "failed");
    for (const host of stillFailed) host.fate = "active";
    const reachable = hosts.filter((host) => host.fate === "active");
    await runNodes(ctx, inner, block.always, reachable);
    for (const host of stillFailed) if (host.fate === "active") host.fate = "failed";
  }
}

async function runInclude(ctx: RunContext, scope: Scope, include: IncludeNode, hosts: readonly HostState[]): Promise<void> {
  if (!includeSelected(ctx, scope, include.tags)) return;
  // Each host may include a different file (templated path), and a looped include the file once
  // per item: hosts that resolve the same file with the same item run it together, item by item.
  const rounds: Map<string, { file: string; itemVars: Vars; group: HostState[] }>[] = [];
  const probe = asTask(include, "include_tasks");
  const results: TaskResult[] = [];
  for (const host of hosts) {
    const included: TaskResult[] = [];
    const joins: { index: number; file: string; itemVars: Vars }[] = [];
    try {
      const vars = taskVars(ctx, scope, probe, host);
      const items = include.loop === undefined ? undefined : renderLoopItems(include, vars);
      const conditions = conditionsOf(scope, include);
      for (const [index, itemVars] of (items === undefined ? [{}] : items.map((_, at) => loopItemVars(include, items, at))).entries()) {
        const itemScope = items === undefined ? vars : extendVars(vars, itemVars);
        if (!conditions.every((condition) => evaluateCondition(condition.expr, itemScope, condition.where))) continue;
        const file = String(renderValue(include.file, itemScope, include.where));
        const item = items === undefined ? undefined : loopItemLabel(probe, itemScope, items[index]);
        included.push({ host: host.name, status: "ok", msg: `included: ${file}`, item, durationMs: 0, startedAt: Date.now() });
        joins.push({ index, file, itemVars });
      }
    } catch (error) {
      results.push(failedInclude(ctx, scope, probe, host, error));
      continue;
    }
    for (const { index, file, itemVars } of joins) {
      const round = (rounds[index] ??= new Map());
      const key = `${file}\0${JSON.stringify(itemVars)}`;
      const entry = round.get(key) ?? { file, itemVars, group: [] };
      entry.group.push(host);
      round.set(key, entry);
    }
    // as Ansible counts an include: ok for each item it included, one skip when it included nothing
    results.push(...(included.length > 0 ? included : [skippedInclude(host)]));
  }
  const inner = include.apply === undefined ? includeScope(scope, include) : blockScope(includeScope(scope, include), include.apply);
  const after = ctx.readAhead.after(include);
  // every file is read before the include reports: a file that cannot be read (a cycle) stops the run first
  // (an item no host includes, its `when` false everywhere, leaves a hole: filter skips holes)
  const loaded = rounds.filter((entry) => entry !== undefined).map((round) =>
    [...round.values()].map(({ file, itemVars, group }) => ({ group, ...includedTasks(ctx, { ...inner, blockVars: [...inner.blockVars, itemVars] }, include, file) })),
  );
  if (reportsInclude(ctx, scope, probe)) {
    const ref = taskRef(probe, scope);
    ctx.emit({ type: "task-start", task: ref, hosts: hosts.map((host) => host.name) });
    for (const result of results) recordResult(ctx, ref, result);
  }
  for (const included of loaded) {
    await Promise.all(
      included.map(({ group, scope: fileScope, nodes }) => {
        ctx.readAhead.enter(nodes, fileScope, after);
        return runNodes(ctx, fileScope, nodes, group.filter((host) => host.active));
      }),
    );
  }
}

/**
 * A host whose include cannot be judged (its loop, condition or file name does not render): that
 * host fails as a task that threw, as in Ansible, and the others go on.
 */
export function failedInclude(ctx: RunContext, scope: Scope, include: TaskNode, host: HostState, error: unknown): TaskResult {
  return { ...thrown({ ctx, scope, task: include, host }, error), host: host.name, durationMs: 0, startedAt: Date.now() };
}

/** An include, a block or a meta as the task the variable and tag machinery expects (it runs no module). */
export function asTask(node: IncludeNode | BlockNode | MetaNode, module: string): TaskNode {
  return { loopVar: "item", ...node, name: ("name" in node ? node.name : undefined) ?? module, kind: "task", module, args: {}, notify: [], retries: 0, delaySeconds: 0 };
}

/**
 * Whether --tags/--skip-tags select an include_tasks/include_role: it is a task of its own, with
 * its tags and its parents' (`never` keeps it out of a run that does not ask for it by name).
 */
export function includeSelected(ctx: RunContext, scope: Scope, tags: readonly string[]): boolean {
  return scope.isHandler || selectedByTags([...scope.tags, ...tags], ctx.options.tags, ctx.options.skipTags);
}

/** Whether the include shows in the report as a task of its own (not when --tags, --skip-tags or --start-at-task pass it by). */
export function reportsInclude(ctx: RunContext, scope: Scope, probe: TaskNode): boolean {
  return ctx.startAt.pending === undefined && (scope.isHandler || ctx.options.tags.length + ctx.options.skipTags.length === 0 || selectedTask(ctx.options, scope, probe));
}

export const skippedInclude = (host: HostState): TaskResult => ({ host: host.name, status: "skipped", msg: "Conditional result was False", durationMs: 0, startedAt: Date.now() });

async function runMeta(ctx: RunContext, scope: Scope, meta: MetaNode, hosts: readonly HostState[]): Promise<void> {
  switch (meta.action) {
    case "flush_handlers":
      await flushHandlers(ctx, scope, hosts);
      break;
    case "end_play":
      for (const host of hosts) host.fate = "ended";
      break;
    case "end_host":
      for (const host of hosts) {
        const vars = taskVars(ctx, scope, asTask(meta, "meta"), host);
        if (meta.when.every((expr) => evaluateCondition(expr, vars, meta.where))) host.fate = "ended";
      }
      break;
    case "clear_facts":
      for (const host of hosts) host.clearFacts();
      break;
    case "noop":
      break;
  }
}
