/**
 * Which login a task's commands travel over: its `remote_user` and `connection` (the task's,
 * else its block's or role's, else the play's), rendered with the host's variables, then
 * resolved against the host's own connection variables (connections.ts), as Ansible does.
 */
import { RunbookError } from "../errors.js";
import { CONNECTION_KEYWORD_VALUES } from "../playbook/keywords.js";
import type { TaskCommon, Vars } from "../playbook/model.js";
import { renderValue } from "../template/index.js";
import type { RunContext, Scope } from "./context.js";
import type { Login, LoginKeywords } from "./connections.js";

export function loginFor(ctx: Pick<RunContext, "connections">, scope: Scope, task: TaskCommon | undefined, target: string, vars: Vars, delegated = false): Login {
  const keywords = loginKeywords(scope, task, vars);
  if (delegated) return ctx.connections.login(target, keywords); // the delegate's own variables decide
  // the task's ansible_user is already Ansible's answer: -e, play/role/block/task vars, the
  // inventory's, else remote_user or -u (task-vars.ts)
  const named = vars["ansible_user"];
  return ctx.connections.login(target, { ...keywords, resolvedUser: named === undefined || named === null ? undefined : String(named) });
}

/** The keywords that apply to `task` (or, without one, to the play's facts), rendered. */
export function loginKeywords(scope: Scope, task: TaskCommon | undefined, vars: Vars): LoginKeywords {
  const where = task?.where ?? scope.play.where;
  const user = task?.remoteUser ?? scope.remoteUser;
  const connection = task?.connection ?? scope.connection;
  return {
    user: user === undefined ? undefined : String(renderValue(user, vars, where)),
    connection: connection === undefined ? undefined : connectionKind(String(renderValue(connection, vars, where)), where),
  };
}

/** What ansible_connection reads for a `connection:` keyword's value: Ansible resolves smart to ssh. */
export function connectionName(value: string): string {
  return value === "smart" ? "ssh" : value;
}

function connectionKind(value: string, where: TaskCommon["where"]): "ssh" | "local" {
  if (!(CONNECTION_KEYWORD_VALUES as readonly string[]).includes(value)) {
    throw new RunbookError("runtime", `connection ${JSON.stringify(value)} is not supported`, { location: where, hint: `runbook connects with ${CONNECTION_KEYWORD_VALUES.join(", ")} (smart and paramiko run as ssh)` });
  }
  return value === "local" ? "local" : "ssh";
}
