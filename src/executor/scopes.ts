/** The scopes tasks run in: a play's, and what a block or an include adds to its parent's. */
import type { BlockNode, IncludeNode, Play, TaskCommon } from "../playbook/model.js";
import type { Condition, Scope } from "./context.js";

/** The scope a play's top-level tasks run in, for one serial batch. */
export function playScope(play: Play, playHosts: readonly string[], batchHosts: readonly string[]): Scope {
  return {
    play,
    playHosts,
    batchHosts,
    when: [],
    tags: play.tags,
    remoteUser: play.remoteUser,
    connection: play.connection,
    blockVars: [],
    noLog: false,
    isHandler: false,
  };
}

/** A block's tasks: its conditions are added to every task's, its keywords override the parent's. */
export function blockScope(scope: Scope, block: BlockNode): Scope {
  return {
    ...scope,
    when: [...scope.when, ...block.when.map((expr): Condition => ({ expr, where: block.where }))],
    tags: [...scope.tags, ...block.tags],
    become: block.become ?? scope.become,
    becomeUser: block.becomeUser ?? scope.becomeUser,
    remoteUser: block.remoteUser ?? scope.remoteUser,
    connection: block.connection ?? scope.connection,
    checkMode: block.checkMode ?? scope.checkMode,
    blockVars: [...scope.blockVars, block.vars],
    ignoreErrors: block.ignoreErrors ?? scope.ignoreErrors,
    anyErrorsFatal: block.anyErrorsFatal ?? scope.anyErrorsFatal,
    ignoreUnreachable: block.ignoreUnreachable ?? scope.ignoreUnreachable,
    noLog: scope.noLog || block.noLog,
    role: block.role ?? scope.role,
  };
}

/**
 * An included file's tasks: its `when` is judged once, on the include itself, and its tags only
 * select the include (Ansible's included tasks inherit the tags of the include's parents, and
 * `apply:`'s, not the include's own).
 */
export function includeScope(scope: Scope, include: IncludeNode): Scope {
  return {
    ...scope,
    tags: [...scope.tags, ...(include.parentTags ?? [])],
    // a role entry's remote_user/connection, pushed onto the include (an include cannot say them)
    remoteUser: include.remoteUser ?? scope.remoteUser,
    connection: include.connection ?? scope.connection,
    // the include's own keywords (ignore_errors...) stay its own, as in Ansible: the included
    // tasks take theirs from the include's block, and from `apply:`; only its vars reach them
    blockVars: [...scope.blockVars, include.vars],
    role: include.role ?? scope.role,
  };
}

/** What must hold for a task (or include) to run: its blocks' conditions, then its own. */
export function conditionsOf(scope: Scope, node: TaskCommon): Condition[] {
  return [...scope.when, ...node.when.map((expr): Condition => ({ expr, where: node.where }))];
}
