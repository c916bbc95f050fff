/** The keywords every node shares (TaskCommon): read once, the same way for tasks, blocks and includes. */
import type { SourceLocation } from "../errors.js";
import { child, fail, isMapping, locationOf, type Cursor } from "./cursor.js";
import type { LoadContext } from "./context.js";
import type { TaskCommon } from "./model.js";
import { checkAcceptedKeywords } from "./accepted.js";
import { CONNECTION_KEYWORD_VALUES } from "./keywords.js";
import { optional, readBool, readConditions, readFlag, readString, readTags, readVars } from "./readers.js";

export function readCommon(entry: Cursor, context: LoadContext): TaskCommon {
  checkAcceptedKeywords(entry);
  return {
    where: whereOf(entry),
    when: optional(entry, "when", (c) => readConditions(c, "when")) ?? [],
    tags: optional(entry, "tags", readTags) ?? [],
    become: optional(entry, "become", (c) => readFlag(c, "become")),
    becomeUser: optional(entry, "become_user", (c) => readString(c, "become_user")),
    remoteUser: optional(entry, "remote_user", (c) => readString(c, "remote_user")),
    connection: optional(entry, "connection", readConnection),
    vars: optional(entry, "vars", (c) => readVars(c)) ?? {},
    ignoreErrors: optional(entry, "ignore_errors", (c) => readFlag(c, "ignore_errors")),
    noLog: optional(entry, "no_log", (c) => readBool(c, "no_log")) ?? false,
    runOnce: optional(entry, "run_once", (c) => readFlag(c, "run_once")) ?? false,
    delegateTo: optional(entry, "delegate_to", (c) => readString(c, "delegate_to")),
    checkMode: optional(entry, "check_mode", (c) => readFlag(c, "check_mode")),
    anyErrorsFatal: optional(entry, "any_errors_fatal", (c) => readFlag(c, "any_errors_fatal")),
    ignoreUnreachable: optional(entry, "ignore_unreachable", (c) => readBool(c, "ignore_unreachable")),
    role: context.role,
  };
}

/** A node's location: its mapping's first key, where a reader's eye lands. */
export function whereOf(entry: Cursor): SourceLocation {
  const first = isMapping(entry.value) ? Object.keys(entry.value)[0] : undefined;
  return first === undefined ? locationOf(entry) : locationOf(child(entry, first), { key: true });
}

/** `connection:` on a play, block, role or task: one runbook runs, or a template checked when it is rendered. */
export function readConnection(cursor: Cursor): string {
  const value = readString(cursor, "connection");
  if (value.includes("{{") || (CONNECTION_KEYWORD_VALUES as readonly string[]).includes(value)) return value;
  fail(cursor, `connection ${JSON.stringify(value)} is not supported`, `runbook connects with ${CONNECTION_KEYWORD_VALUES.join(", ")} (smart and paramiko run as ssh); set ansible_connection in the inventory or leave it out`);
}
