/** Ansible's "Gathering Facts": every host of the play at once, before its first task. */
import { ansibleFactVars } from "../facts/ansible-vars.js";
import { gatherFacts } from "../facts/gather.js";
import type { Play } from "../playbook/model.js";
import { UnreachableError } from "../transport/types.js";
import { recordResult, type RunContext } from "./context.js";
import type { TaskRef } from "./events.js";
import type { HostState } from "./host-state.js";

export async function gatherPlayFacts(ctx: RunContext, play: Play, hosts: readonly HostState[]): Promise<void> {
  // Facts are cached for the run: a later play reuses them.
  const missing = hosts.filter((host) => host.active && host.facts === undefined);
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
          const facts = await gatherFacts(ctx.connections.get(host.name));
          host.setFacts(facts, { ...ansibleFactVars(facts), facts });
          recordResult(ctx, ref, { ...base, status: "ok", durationMs: Date.now() - startedAt });
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          const unreachable = error instanceof UnreachableError;
          host.fate = unreachable ? "unreachable" : "failed";
          if (unreachable) host.unreachableReason = message;
          recordResult(ctx, ref, { ...base, status: unreachable ? "unreachable" : "failed", msg: message, durationMs: Date.now() - startedAt });
        }
      }),
    ),
  );
}
