/** A module task (and a handler, which is a task with `listen:`). */
import { readCommon } from "./common.js";
import type { LoadContext } from "./context.js";
import { child, describeValue, fail, isMapping, type Cursor } from "./cursor.js";
import { HANDLER_KEYWORDS, LOOP_CONTROL_KEYS, TASK_KEYWORDS, UNSUPPORTED_LOOP_CONTROL } from "./keywords.js";
import type { Handler, TaskNode, Vars } from "./model.js";
import { findModuleKey, readModuleCall } from "./module-args.js";
import {
  checkKeys,
  optional,
  present,
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
  const moduleKey = findModuleKey(entry, keywords, context.catalog);
  const call = readModuleCall(entry, moduleKey, context.catalog);
  const until = optional(entry, "until", (c) => readString(c, "until"));
  const loop = readTaskLoop(entry);
  return {
    kind: "task",
    ...readCommon(entry, context),
    name: optional(entry, "name", (c) => readString(c, "name")) ?? call.summary,
    module: call.module,
    args: call.args,
    register: optional(entry, "register", (c) => readIdentifier(c, "register")),
    loop: loop.loop,
    loopVar: loop.loopVar,
    loopLabel: loop.loopLabel,
    notify: optional(entry, "notify", (c) => readNames(c, "notify")) ?? [],
    changedWhen: optional(entry, "changed_when", (c) => readConditions(c, "changed_when")),
    failedWhen: optional(entry, "failed_when", (c) => readConditions(c, "failed_when")),
    until,
    retries: optional(entry, "retries", (c) => readInt(c, "retries")) ?? (until === undefined ? 0 : DEFAULT_RETRIES_WITH_UNTIL),
    delaySeconds: optional(entry, "delay", (c) => readInt(c, "delay")) ?? DEFAULT_DELAY_SECONDS,
    environment: optional(entry, "environment", readEnvironment),
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

/** `loop:`, `with_items:` or `with_list:` (one of them) and `loop_control.loop_var`. */
export function readTaskLoop(entry: Cursor): { loop: unknown; loopVar: string; loopLabel?: string | undefined } {
  const given = ["loop", "with_items", "with_list"].filter((key) => present(entry, key) !== undefined);
  const [first, second] = given;
  if (second !== undefined) fail(child(entry, second), `'${first}' and '${second}' both loop`, "keep one loop keyword", { key: true, kind: "play" });
  const loop = first === undefined ? undefined : readLoop(child(entry, first), first);
  const control = present(entry, "loop_control");
  let loopVar = "item";
  let loopLabel: string | undefined;
  if (control !== undefined) {
    checkKeys(control, LOOP_CONTROL_KEYS, "loop_control", UNSUPPORTED_LOOP_CONTROL);
    loopVar = optional(control, "loop_var", (c) => readIdentifier(c, "loop_var")) ?? loopVar;
    loopLabel = optional(control, "label", (c) => readString(c, "loop_control label"));
  }
  return { loop, loopVar, loopLabel };
}

function readEnvironment(cursor: Cursor): Vars | string {
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
