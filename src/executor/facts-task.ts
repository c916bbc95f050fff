/**
 * Ansible's "Gathering Facts": every host of the play at once, before its first task. The
 * probes of the play's first tasks that can be known before the facts (lookahead.ts) travel in
 * the same script, so a play that changes nothing can cost one round trip per host in all.
 */
import { ansibleFactVars } from "../facts/ansible-vars.js";
import { factsCommand, factsFromResult } from "../facts/gather.js";
import type { Facts } from "../facts/types.js";
import type { Play, TaskNode } from "../playbook/model.js";
import { UnreachableError } from "../transport/types.js";
import { recordResult, type RunContext } from "./context.js";
import type { TaskRef } from "./events.js";
import type { HostState } from "./host-state.js";
import { lookaheadProbes, type Upcoming } from "./lookahead.js";
import { runProbes } from "./probe-batch.js";
import { sameLogin, type Login } from "./connections.js";
import { loginFor } from "./login.js";
import { playScope } from "./scopes.js";
import { taskVars } from "./task-vars.js";

export async function gatherPlayFacts(ctx: RunContext, play: Play, hosts: readonly HostState[], first?: Upcoming): Promise<void> {
  // Facts are cached for the run: a later play reuses them, unless it logs in otherwise (another
  // remote_user, or connection: local where the facts were the host's): those are another machine's or user's
  const missing = hosts.filter((host) => host.active && (host.facts === undefined || (host.factsLogin !== undefined && !sameLogin(host.factsLogin, playLogin(ctx, play, host)))));
  if (missing.length === 0) return;
  const ref: TaskRef = { play: play.name, name: "Gathering Facts", module: "setup", isHandler: false, noLog: false };
  ctx.emit({ type: "task-start", task: ref, hosts: missing.map((host) => host.name) });
  await Promise.all(
    missing.map((host) =>
      ctx.queue.add(async () => {
        if (ctx.interrupted()) return; // not started before SIGINT
        const startedAt = Date.now();
        const base = { host: host.name, startedAt };
        try {
          const { facts, login } = await factsWithProbes(ctx, play, host, first);
          host.factsLogin = login;
          host.setFacts(facts, { ...ansibleFactVars(facts), facts });
          recordResult(ctx, ref, { ...base, status: "ok", durationMs: Date.now() - startedAt });
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          const unreachable = error instanceof UnreachableError;
          host.fate = unreachable ? "unreachable" : "failed";
          if (unreachable) host.unreachableReason = message;
          const durationMs = Date.now() - startedAt;
          recordResult(ctx, ref, { ...base, status: unreachable ? "unreachable" : "failed", msg: message, error: { message }, durationMs });
        }
      }),
    ),
  );
}

/** The login a play gathers its facts over: its remote_user and connection, with Ansible's precedence. */
function playLogin(ctx: RunContext, play: Play, host: HostState): Login {
  const scope = playScope(play, [], []);
  return loginFor(ctx, scope, undefined, host.name, taskVars(ctx, scope, gatheringTask(play), host));
}

/**
 * Runs the fact script and the first tasks' probes (as the login user, like the facts) in one
 * script, over the play's login (its remote_user and connection), as Ansible gathers them.
 */
async function factsWithProbes(ctx: RunContext, play: Play, host: HostState, first: Upcoming | undefined): Promise<{ facts: Facts; login: Login }> {
  const login = playLogin(ctx, play, host);
  const transport = ctx.connections.get(host.name, login);
  const probes = lookaheadProbes(ctx, first, host, undefined, login);
  const reading = ctx.probeCache.reading(transport.host);
  const [factsResult, ...results] = await runProbes(transport, [{ argv: factsCommand() }, ...probes], undefined);
  if (factsResult === undefined) throw new Error("the fact script gave no result");
  ctx.probeCache.store(reading, probes, results, undefined, login);
  return { facts: factsFromResult(transport.host, factsResult), login };
}

/** "Gathering Facts" as a task of the play, for the variables its keywords render with. */
function gatheringTask(play: Play): TaskNode {
  return { kind: "task", name: "Gathering Facts", module: "setup", args: {}, where: play.where, when: [], tags: [], vars: {}, noLog: false, runOnce: false, loopVar: "item", notify: [], retries: 0, delaySeconds: 0 };
}
