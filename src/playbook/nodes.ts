/** Task lists: each entry becomes a task, a block, an include, a meta action, or imported nodes. */
import { existsSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { didYouMean, ParseError } from "../errors.js";
import { loadYamlFile } from "../source/yaml.js";
import { readCommon, whereOf } from "./common.js";
import type { LoadContext } from "./context.js";
import { child, describeCycle, describeValue, fail, isMapping, rootCursor, type Cursor } from "./cursor.js";
import { inherit } from "./inherit.js";
import {
  BLOCK_KEYWORDS,
  IMPORT_ROLE_KEYWORDS,
  IMPORT_TASKS_KEYWORDS,
  IMPORT_BLOCK_KEYWORDS,
  APPLY_KEYWORDS,
  INCLUDE_KEYWORDS,
  INCLUDE_ROLE_ARG_KEYS,
  INCLUDE_ROLE_KEYWORDS,
  NOT_ON_DYNAMIC_INCLUDE,
  OLD_INCLUDE_KEYWORDS,
  META_ACTIONS,
  META_KEYWORDS,
  ROLE_ARG_KEYS,
  type MetaAction,
} from "./keywords.js";
import type { BlockNode, IncludeNode, MetaNode, Node, Vars } from "./model.js";
import { checkKeys, optional, present, readBool, readConditions, readList, readMapping, readString, readTags, readVars } from "./readers.js";
import { parseKeyValues, splitWords } from "./freeform.js";
import { shellJoin } from "../transport/quote.js";
import { readModuleDefaults } from "./module-defaults.js";
import { expandRole, handlerCopyKey, type RoleFiles, type RoleRef } from "./roles.js";
import { parseTask, readTaskLoop } from "./task.js";

/** A YAML list of task entries (`tasks:`, `block:`, a tasks file). */
export function parseNodes(list: Cursor, context: LoadContext, what: string): Node[] {
  const items = readList(list, what);
  return items.flatMap((_, index) => parseNode(child(list, index), context));
}

function parseNode(entry: Cursor, outer: LoadContext): Node[] {
  const value = entry.value;
  if (!isMapping(value)) {
    return fail(entry, `a task must be a mapping, found ${describeValue(value)}`, "write a task as '- name: ...' followed by the module, e.g. 'command: echo hi', indented under it");
  }
  // an entry's module_defaults hold for it and for everything it holds (a block's tasks, an include's)
  const defaultsAt = present(entry, "module_defaults");
  const context = defaultsAt === undefined ? outer : { ...outer, moduleDefaults: readModuleDefaults(defaultsAt, outer.catalog, outer.moduleDefaults) };
  if ("block" in value) return [parseBlock(entry, context)];
  if ("include_tasks" in value) return [parseInclude(entry, context)];
  if ("include" in value) return [parseOldInclude(entry, context)];
  if ("import_tasks" in value) return parseImportTasks(entry, context);
  if ("meta" in value) return [parseMeta(entry, context)];
  if ("import_role" in value || "include_role" in value) return parseImportRole(entry, context);
  return [parseTask(entry, context)];
}

function parseBlock(entry: Cursor, context: LoadContext): BlockNode {
  checkKeys(entry, BLOCK_KEYWORDS, "a block");
  const block = parseNodes(child(entry, "block"), context, "block");
  if (block.length === 0) fail(child(entry, "block"), "block is empty", "put at least one task under 'block:'");
  return {
    kind: "block",
    ...readCommon(entry, context),
    name: optional(entry, "name", (c) => readString(c, "name")),
    block,
    rescue: parseNodes(child(entry, "rescue"), context, "rescue"),
    always: parseNodes(child(entry, "always"), context, "always"),
  };
}

/** `include_tasks: file` or `include_tasks: {file: ...}`: resolved per host at run time. */
function parseInclude(entry: Cursor, context: LoadContext, keyword = "include_tasks", file = readFileArgument(child(entry, keyword), keyword), params: Vars = {}): IncludeNode {
  checkKeys(entry, keyword === "include" ? OLD_INCLUDE_KEYWORDS : INCLUDE_KEYWORDS, keyword, undefined, keyword === "include" ? undefined : NOT_ON_DYNAMIC_INCLUDE);
  if (!file.includes("{{") && !existsSync(resolve(context.dir, file))) {
    fail(child(entry, keyword), `${keyword}: file not found: ${file}`, `looked for ${resolve(context.dir, file)}`, { kind: "task" });
  }
  const loop = readTaskLoop(entry);
  const common = readCommon(entry, context);
  const argument = child(entry, keyword);
  const apply = isMapping(argument.value) ? present(argument, "apply") : undefined;
  return {
    kind: "include",
    ...common,
    vars: { ...common.vars, ...params },
    name: optional(entry, "name", (c) => readString(c, "name")) ?? `${keyword} ${file}`,
    file,
    baseDir: context.dir,
    loop: loop.loop,
    loopWith: loop.loopWith,
    loopVar: loop.loopVar,
    indexVar: loop.indexVar,
    loopExtended: loop.loopExtended,
    apply: apply === undefined ? undefined : readApply(apply, context, []),
    moduleDefaults: context.moduleDefaults,
  };
}

/**
 * The old `include: file.yml x=1` (deprecated in Ansible 2.14, gone in 2.16), as 2.14 runs it:
 * static (read now, like import_tasks, its keywords on a block around the tasks) when the file
 * is not templated and nothing loops over it or `static: false` says otherwise; dynamic
 * (include_tasks) then. `x=1` words are variables of the included tasks.
 */
function parseOldInclude(entry: Cursor, context: LoadContext): Node {
  const at = child(entry, "include");
  const words = typeof at.value === "string" ? splitWords(at.value) : undefined;
  if (words === undefined || words.length === 0) return fail(at, "include must name a tasks file, e.g. include: tasks/setup.yml", "prefer include_tasks (dynamic) or import_tasks (static)");
  const [file = "", ...rest] = words;
  const params = parseKeyValues(shellJoin(rest));
  if (!params.ok) fail(at, `include: ${params.problem}`, params.hint);
  const loop = readTaskLoop(entry);
  const staticWanted = optional(entry, "static", (c) => readBool(c, "static"));
  const isStatic = staticWanted ?? (!file.includes("{{") && loop.loop === undefined);
  if (!isStatic) return parseInclude(entry, context, "include", file, params.args);
  checkKeys(entry, OLD_INCLUDE_KEYWORDS, "include");
  const common = readCommon(entry, context);
  return {
    kind: "block",
    ...common,
    vars: { ...common.vars, ...params.args },
    block: loadTaskList(resolve(context.dir, file), context, at),
    rescue: [],
    always: [],
  };
}

function readFileArgument(cursor: Cursor, keyword: string): string {
  if (isMapping(cursor.value)) {
    checkKeys(cursor, new Set(keyword === "include_tasks" ? ["file", "apply"] : ["file"]), keyword);
    return readString(child(cursor, "file"), `${keyword} file`);
  }
  return readString(cursor, keyword);
}

/** `import_tasks`: read now, relative to the importing file; when/tags/vars pushed down. */
function parseImportTasks(entry: Cursor, context: LoadContext): Node[] {
  checkKeys(entry, IMPORT_TASKS_KEYWORDS, "import_tasks");
  const at = child(entry, "import_tasks");
  const file = readFileArgument(at, "import_tasks");
  if (file.includes("{{")) fail(at, "import_tasks is static: its file name cannot be templated", "use include_tasks for a file chosen at run time");
  const nodes = inherit(loadTaskList(resolve(context.dir, file), context, at), readInheritance(entry));
  // become, ignore_errors and the like apply to every imported task, as a block around them does
  const blockKeys = Object.keys(readMapping(entry, "import_tasks")).filter((key) => IMPORT_BLOCK_KEYWORDS.has(key));
  if (blockKeys.length === 0 || nodes.length === 0) return nodes;
  return [{ kind: "block", ...readCommon(entry, context), name: undefined, when: [], tags: [], vars: {}, block: nodes, rescue: [], always: [] }];
}

function parseMeta(entry: Cursor, context: LoadContext): MetaNode {
  checkKeys(entry, META_KEYWORDS, "a meta task");
  const at = child(entry, "meta");
  const action = readString(at, "meta");
  if (!isMetaAction(action)) {
    fail(at, `unknown meta action '${action}'`, didYouMean(action, META_ACTIONS) ?? `use one of: ${META_ACTIONS.join(", ")}`, { kind: "play" });
  }
  return {
    kind: "meta",
    ...readCommon(entry, context),
    name: optional(entry, "name", (c) => readString(c, "name")) ?? `meta ${action}`,
    action,
  };
}

function isMetaAction(action: string): action is MetaAction {
  return (META_ACTIONS as readonly string[]).includes(action);
}

/**
 * `import_role` and `include_role`, both read at load in runbook: the role's tasks inline. An
 * include_role's are held by one block that carries the include's condition, tags and loop, so
 * that it is judged, selected and looped as the single task Ansible makes of it.
 */
function parseImportRole(entry: Cursor, context: LoadContext): Node[] {
  const keyword = present(entry, "import_role") !== undefined ? "import_role" : "include_role";
  checkKeys(entry, keyword === "import_role" ? IMPORT_ROLE_KEYWORDS : INCLUDE_ROLE_KEYWORDS, keyword, undefined, keyword === "import_role" ? undefined : NOT_ON_DYNAMIC_INCLUDE);
  const at = child(entry, keyword);
  let nameAt = at;
  let from: RoleFiles = {};
  let apply: Cursor | undefined;
  if (isMapping(at.value)) {
    checkKeys(at, keyword === "import_role" ? ROLE_ARG_KEYS : INCLUDE_ROLE_ARG_KEYS, keyword);
    nameAt = child(at, "name");
    const file = (key: string): string | undefined => optional(at, key, (c) => readString(c, `${keyword} ${key}`));
    from = { tasks: file("tasks_from"), vars: file("vars_from"), defaults: file("defaults_from"), handlers: file("handlers_from") };
    apply = present(at, "apply");
  }
  const name = readString(nameAt, `${keyword} name`);
  const inherited = readInheritance(entry);
  // import_role's vars are include params: like role params they beat the tasks' own vars.
  const ref: RoleRef = { name, at: nameAt, params: inherited.vars, when: [], tags: [], from };
  if (keyword === "import_role") return expandRole(context, { ...ref, when: inherited.when, tags: inherited.tags }, { always: true });
  const role = expandRole(context, ref, { always: true, included: true });
  const loop = readTaskLoop(entry);
  return [
    {
      kind: "block",
      ...readCommon(entry, context),
      vars: {},
      tags: [],
      includedRole: name,
      includeTags: inherited.tags,
      roleLoop: loop.loop === undefined ? undefined : { where: whereOf(entry), ...loop },
      handlerKey: handlerCopyKey(ref),
      block: apply === undefined ? role : [readApply(apply, context, role)],
      rescue: [],
      always: [],
    },
  ];
}

/** `apply:` of include_tasks/include_role: keywords the included tasks inherit, as a block around them. */
function readApply(cursor: Cursor, context: LoadContext, block: Node[]): BlockNode {
  readMapping(cursor, "apply");
  checkKeys(cursor, APPLY_KEYWORDS, "apply");
  return { kind: "block", ...readCommon(cursor, context), block, rescue: [], always: [] };
}

function readInheritance(entry: Cursor): { when: string[]; tags: string[]; vars: Record<string, unknown> } {
  return {
    when: optional(entry, "when", (c) => readConditions(c, "when")) ?? [],
    tags: optional(entry, "tags", readTags) ?? [],
    vars: optional(entry, "vars", (c) => readVars(c)) ?? {},
  };
}

/**
 * Reads a tasks file (a YAML list of entries) as part of the current play. `at` is where the
 * file was named, for "not found" and cycle errors.
 */
export function loadTaskList(file: string, context: LoadContext, at: Cursor | undefined): Node[] {
  if (context.fileStack.includes(file)) {
    const cycle = describeCycle(context.fileStack.slice(context.fileStack.indexOf(file)), file);
    const message = `import cycle: ${cycle}`;
    const hint = "a file must not import itself, directly or through others";
    if (at !== undefined) fail(at, message, hint);
    throw new ParseError(message, { location: { file, line: 1, column: 1 }, hint });
  }
  if (at !== undefined && !existsSync(file)) fail(at, `tasks file not found: ${relative(context.dir, file)}`, `looked for ${file}; paths are relative to the file that names them`, { kind: "play" });
  const source = loadYamlFile(file);
  const root = rootCursor(source);
  if (root.value !== null && root.value !== undefined && !Array.isArray(root.value)) {
    fail(root, `a tasks file must be a list of tasks, found ${describeValue(root.value)}`, "start each task with '- '");
  }
  return parseNodes(root, { ...context, dir: dirname(file), fileStack: [...context.fileStack, file] }, "a tasks file");
}
