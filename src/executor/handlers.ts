/** Handlers: run once, in definition order, on the hosts that notified them, when flushed. */
import type { RunContext, Scope } from "./context.js";
import type { HostState } from "./host-state.js";
import { runNodes } from "./nodes.js";

export async function flushHandlers(ctx: RunContext, scope: Scope, hosts: readonly HostState[]): Promise<void> {
  const handlerScope: Scope = { ...scope, isHandler: true, when: [], tags: [], blockVars: [] };
  // A topic (`listen`) runs every handler listening to it, so a name is cleared only after the
  // whole flush, not when the first of its handlers has run.
  const consumed = new Map<HostState, Set<string>>();
  // force_handlers: a failed host runs what it notified, then stays failed
  const forced = scope.play.forceHandlers === true ? hosts.filter((host) => host.fate === "failed" && host.notified.size > 0) : [];
  for (const host of forced) host.fate = "active";
  const includedRoles = ctx.includedRoles.get(scope.play);
  for (const handler of scope.play.handlers) {
    if (handler.includedBy !== undefined && includedRoles?.has(handler.includedBy) !== true) continue;
    // A handler may notify a later one, so who is notified is read just before each runs.
    const notified = hosts.filter((host) => host.active && handler.listen.some((name) => host.notified.has(name)));
    if (notified.length === 0) continue;
    await runNodes(ctx, { ...handlerScope, role: handler.role }, [handler], notified);
    for (const host of notified) {
      const names = consumed.get(host) ?? new Set<string>();
      for (const name of handler.listen) names.add(name);
      consumed.set(host, names);
    }
  }
  for (const [host, names] of consumed) for (const name of names) host.notified.delete(name);
  for (const host of forced) if (host.fate === "active") host.fate = "failed";
}
