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
  const logins = new Map(hosts.filter((host) => host.active).map((host) => [host, playLogin(ctx, play, host)]));
  const missing = [...logins].filter(([host, login]) => host.facts === undefined || (host.factsLogin !== undefined && (login instanceof Error || !sameLogin(host.factsLogin, login))));
  if (missing.length === 0) return;
  const ref: TaskRef = { play: play.name, name: "Gathering Facts", module: "setup", isHandler: false, noLog: false };
  ctx.emit({ type: "task-start", task: ref, hosts: missing.map(([host]) => host.name) });
  await Promise.all(
    missing.map(([host, login]) =>
      ctx.queue.add(async () => {
        if (ctx.interrupted()) return; // not started before SIGINT
        const startedAt = Date.now();
        const base = { host: host.name, startedAt };
        try {
          if (login instanceof Error) throw login; // its remote_user or connection did not render
          const facts = await factsWithProbes(ctx, host, login, first);
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

/** The login a play gathers its facts over (its remote_user and connection, with Ansible's precedence), or why it has none. */
function playLogin(ctx: RunContext, play: Play, host: HostState): Login | Error {
  const scope = playScope(play, [], []);
  try {
    return loginFor(ctx, scope, undefined, host.name, taskVars(ctx, scope, gatheringTask(play), host));
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

/**
 * Runs the fact script and the first tasks' probes (as the login user, like the facts) in one
 * script, over the play's login (its remote_user and connection), as Ansible gathers them.
 */
async function factsWithProbes(ctx: RunContext, host: HostState, login: Login, first: Upcoming | undefined): Promise<Facts> {
  const transport = ctx.connections.get(host.name, login);
  const probes = lookaheadProbes(ctx, first, host, undefined, login);
  const reading = ctx.probeCache.reading(transport.host);
  const [factsResult, ...results] = await runProbes(transport, [{ argv: factsCommand() }, ...probes], undefined);
  if (factsResult === undefined) throw new Error("the fact script gave no result");
  ctx.probeCache.store(reading, probes, results, undefined, login);
  return factsFromResult(transport.host, factsResult);
}

/** "Gathering Facts" as a task of the play, for the variables its keywords render with. */
function gatheringTask(play: Play): TaskNode {
  return { kind: "task", name: "Gathering Facts", module: "setup", args: {}, where: play.where, when: [], tags: [], vars: {}, noLog: false, runOnce: false, loopVar: "item", notify: [], retries: 0, delaySeconds: 0 };
}
