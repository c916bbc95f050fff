/** Which user a task's commands run as: `become` from the task, its block/role, the play or the inventory. */
import { asBoolean } from "../inventory/var-checks.js";
import type { TaskNode, Vars } from "../playbook/model.js";
import type { BecomeOptions } from "../transport/types.js";
import type { RunContext, Scope } from "./context.js";
import { flagValue } from "./flags.js";
import type { HostState } from "./host-state.js";

export function becomeFor(ctx: Pick<RunContext, "options">, scope: Scope, task: TaskNode, host: HostState, vars: Vars): BecomeOptions | undefined {
  const flag = task.become ?? scope.become;
  const wanted = flag !== undefined ? flagValue(flag, vars, task.where) : scope.play.become || inventoryBecome(vars["ansible_become"]);
  if (!wanted) return undefined;
  const user = task.becomeUser ?? scope.becomeUser ?? stringVar(vars["ansible_become_user"]) ?? scope.play.becomeUser ?? "root";
  // Already that user (e.g. root on lab hosts): sudo would only cost a process.
  if (host.facts && host.facts.user === user) return undefined;
  const password = ctx.options.becomePassword ?? stringVar(vars["ansible_become_password"]) ?? stringVar(vars["ansible_become_pass"]);
  return { user, password };
}

/** Whether two tasks run their commands as the same user, so their probes can share one script. */
export function sameBecome(a: BecomeOptions | undefined, b: BecomeOptions | undefined): boolean {
  return a?.user === b?.user && a?.password === b?.password;
}

/** ansible_become as the inventory reads it (yes/on/1/True...; anything else was refused when loading). */
function inventoryBecome(value: unknown): boolean {
  return value !== undefined && asBoolean("ansible_become", value);
}

function stringVar(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}
