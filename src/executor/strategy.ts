/**
 * Scheduling policies (Ansible's strategies). linear: all hosts move through the task list
 * together, task N everywhere before task N+1. free: each host runs ahead on its own.
 * Either way at most `forks` host-tasks run at once (the run's queue).
 */
import type { Node } from "../playbook/model.js";
import type { RunContext, Scope } from "./context.js";
import type { HostState } from "./host-state.js";
import { runNodes } from "./nodes.js";

/** Runs `nodes` on `hosts`. */
export type Strategy = (ctx: RunContext, scope: Scope, nodes: readonly Node[], hosts: readonly HostState[]) => Promise<void>;

export const linear: Strategy = (ctx, scope, nodes, hosts) => runNodes(ctx, scope, nodes, hosts);

export const free: Strategy = async (ctx, scope, nodes, hosts) => {
  await Promise.all(hosts.map((host) => runNodes(ctx, scope, nodes, [host])));
};

export const strategies: Readonly<Record<"linear" | "free", Strategy>> = { linear, free };
