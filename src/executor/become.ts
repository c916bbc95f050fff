/** Which user a task's commands run as: `become` from the task, its block/role, the play or the inventory. */
import { asBoolean } from "../inventory/var-checks.js";
import type { TaskNode, Vars } from "../playbook/model.js";
import type { BecomeOptions } from "../transport/types.js";
import { sameLogin, type Login } from "./connections.js";
import type { RunContext, Scope } from "./context.js";
import { flagValue } from "./flags.js";
import type { HostState } from "./host-state.js";

export function becomeFor(ctx: Pick<RunContext, "options">, scope: Scope, task: TaskNode, host: HostState, vars: Vars, login: Login): BecomeOptions | undefined {
  const flag = task.become ?? scope.become;
  const wanted = flag !== undefined ? flagValue(flag, vars, task.where) : scope.play.become || inventoryBecome(vars["ansible_become"]);
  if (!wanted) return undefined;
  const user = task.becomeUser ?? scope.becomeUser ?? stringVar(vars["ansible_become_user"]) ?? scope.play.becomeUser ?? "root";
  // Already that user (e.g. root on lab hosts): sudo would only cost a process.
  if (host.facts && loginUser(host, login) === user) return undefined;
  const password = ctx.options.becomePassword ?? stringVar(vars["ansible_become_password"]) ?? stringVar(vars["ansible_become_pass"]);
  return { user, password };
}

/** Who a login runs commands as: what the facts read when they were gathered over it, else the login's name. */
export function loginUser(host: HostState, login: Login): string | undefined {
  return host.factsLogin === undefined || sameLogin(host.factsLogin, login) ? host.facts?.user : login.user;
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
