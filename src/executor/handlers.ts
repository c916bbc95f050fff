/** Handlers: run once, in definition order, on the hosts that notified them, when flushed. */
import type { RunContext, Scope } from "./context.js";
import type { HostState } from "./host-state.js";
import { runNodes } from "./nodes.js";

export async function flushHandlers(ctx: RunContext, scope: Scope, hosts: readonly HostState[]): Promise<void> {
  const handlerScope: Scope = { ...scope, isHandler: true, when: [], tags: [], blockVars: [] };
  // Names answered per host, cleared only after the flush: several handlers may listen to one
  // topic, and each of them must still see it after the first has run.
  const answered = new Map<HostState, Set<string>>();
  for (const handler of scope.play.handlers) {
    // A handler may notify a later one, so who is notified is read just before each runs.
    const notified = hosts.filter((host) => host.active && handler.listen.some((name) => host.notified.has(name)));
    if (notified.length === 0) continue;
    await runNodes(ctx, { ...handlerScope, role: handler.role }, [handler], notified);
    for (const host of notified) {
      const names = answered.get(host) ?? new Set<string>();
      for (const name of handler.listen) names.add(name);
      answered.set(host, names);
    }
  }
  for (const [host, names] of answered) for (const name of names) host.notified.delete(name);
}
