/** A module task (and a handler, which is a task with `listen:`). */
import { readCommon } from "./common.js";
import type { LoadContext } from "./context.js";
import { child, describeValue, fail, isMapping, type Cursor } from "./cursor.js";
import { HANDLER_KEYWORDS, LOOP_CONTROL_KEYS, TASK_KEYWORDS, WITH_LOOKUPS } from "./keywords.js";
import type { Handler, TaskNode, Vars } from "./model.js";
import { findModuleKey, readModuleCall } from "./module-args.js";
import { readActionForm } from "./action-form.js";
import { defaultsFor } from "./module-defaults.js";
import {
  checkKeys,
  optional,
  present,
  readBool,
  readConditions,
  readIdentifier,
  readInt,
  readList,
  readLoop,
  readNames,
  readString,
} from "./readers.js";

const DEFAULT_RETRIES_WITH_UNTIL = 3;
const DEFAULT_DELAY_SECONDS = 5;

export function parseTask(entry: Cursor, context: LoadContext, keywords: ReadonlySet<string> = TASK_KEYWORDS): TaskNode {
  const action = readActionForm(entry, keywords, context.catalog);
  const moduleKey = action?.moduleKey ?? findModuleKey(entry, keywords, context.catalog);
  const call = readModuleCall(entry, moduleKey, context.catalog, action?.value, (module) => defaultsFor(context.moduleDefaults, module));
  const until = optional(entry, "until", (c) => readString(c, "until"));
  const loop = readTaskLoop(entry);
  return {
    kind: "task",
    ...readCommon(entry, context),
    ...(action?.local === true ? { delegateTo: "localhost" } : {}),
    name: optional(entry, "name", (c) => readString(c, "name")) ?? call.summary,
    module: call.module,
    args: call.args,
    register: optional(entry, "register", (c) => readIdentifier(c, "register")),
    ...loop,
    notify: optional(entry, "notify", (c) => readNames(c, "notify")) ?? [],
    changedWhen: optional(entry, "changed_when", (c) => readConditions(c, "changed_when")),
    failedWhen: optional(entry, "failed_when", (c) => readConditions(c, "failed_when")),
    until,
    retries: optional(entry, "retries", (c) => readInt(c, "retries")) ?? (until === undefined ? 0 : DEFAULT_RETRIES_WITH_UNTIL),
    delaySeconds: optional(entry, "delay", (c) => readInt(c, "delay")) ?? DEFAULT_DELAY_SECONDS,
    environment: optional(entry, "environment", readEnvironment),
    throttle: optional(entry, "throttle", (c) => readInt(c, "throttle", 1)),
    async: optional(entry, "async", (c) => readInt(c, "async")),
    poll: optional(entry, "poll", (c) => readInt(c, "poll")),
    timeout: optional(entry, "timeout", (c) => readInt(c, "timeout")),
    diff: optional(entry, "diff", (c) => readBool(c, "diff")),
  };
}

export function parseHandler(entry: Cursor, context: LoadContext): Handler {
  if (isMapping(entry.value) && ("block" in entry.value || "include_tasks" in entry.value || "import_tasks" in entry.value)) {
    fail(entry, "a handler must be a single module task", "blocks and includes are not supported as handlers; notify several handlers instead");
  }
  const task = parseTask(entry, context, HANDLER_KEYWORDS);
  const listen = optional(entry, "listen", (c) => readNames(c, "listen")) ?? [];
  return { ...task, listen: [task.name, ...listen] };
}

/** What `loop:`/`with_<lookup>:` and `loop_control` give a task (or an include). */
export type TaskLoop = Pick<TaskNode, "loop" | "loopWith" | "loopVar" | "loopLabel" | "indexVar" | "loopExtended" | "loopPauseSeconds">;

const LOOP_KEYWORDS = ["loop", ...WITH_LOOKUPS.map((lookup) => `with_${lookup}`)];

/** `loop:` or one `with_<lookup>:`, and `loop_control`. */
export function readTaskLoop(entry: Cursor): TaskLoop {
  const given = LOOP_KEYWORDS.filter((key) => present(entry, key) !== undefined);
  const [first, second] = given;
  if (second !== undefined) fail(child(entry, second), `'${first}' and '${second}' both loop`, "keep one loop keyword", { key: true, kind: "play" });
  // with_<lookup> takes any value: the lookup decides (with_sequence: "count=3", with_dict: a mapping)
  const loop = first === undefined ? undefined : first === "loop" ? readLoop(child(entry, first), first) : child(entry, first).value;
  const loopWith = first?.startsWith("with_") === true ? first.slice("with_".length) : undefined;
  const control = present(entry, "loop_control");
  if (control === undefined) return { loop, loopWith, loopVar: "item" };
  checkKeys(control, LOOP_CONTROL_KEYS, "loop_control");
  return {
    loop,
    loopWith,
    loopVar: optional(control, "loop_var", (c) => readIdentifier(c, "loop_var")) ?? "item",
    loopLabel: optional(control, "label", (c) => readString(c, "loop_control label")),
    indexVar: optional(control, "index_var", (c) => readIdentifier(c, "index_var")),
    loopExtended: optional(control, "extended", (c) => readBool(c, "loop_control extended")),
    loopPauseSeconds: optional(control, "pause", (c) => readSeconds(c, "loop_control pause")),
  };
}

/** A number of seconds, whole or not (Ansible's pause is a float). */
function readSeconds(cursor: Cursor, what: string): number {
  const value = typeof cursor.value === "string" ? Number(cursor.value) : cursor.value;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) fail(cursor, `${what} must be a number of seconds, found ${describeValue(cursor.value)}`, `write e.g. ${what.split(" ").pop() ?? what}: 1`, { kind: "task" });
  return value;
}

export function readEnvironment(cursor: Cursor): Vars | string {
  const value = cursor.value;
  if (typeof value === "string" && value.includes("{{")) return value;
  if (!isMapping(value)) {
    return fail(cursor, `environment must be a mapping of variable names to values, found ${describeValue(value)}`, "write e.g. environment: { LANG: C }");
  }
  for (const [key, item] of Object.entries(value)) {
    if (typeof item === "object" && item !== null) {
      fail(child(cursor, key), `environment value of '${key}' must be a string, found ${describeValue(item)}`);
    }
  }
  return value;
}

export function parseHandlers(list: Cursor, context: LoadContext): Handler[] {
  return readList(list, "handlers").map((_, index) => parseHandler(child(list, index), context));
}
