/** One play: its keywords, vars, roles, task lists and handlers. */
import type { VaultKeyring } from "../vault/keyring.js";
import type { ModuleCatalog } from "./catalog.js";
import { newPlayScope, type LoadContext } from "./context.js";
import { child, fail, type Cursor } from "./cursor.js";
import { readConnection, whereOf } from "./common.js";
import { checkAcceptedKeywords } from "./accepted.js";
import { PLAY_KEYWORDS, UNSUPPORTED_PLAY_KEYWORDS } from "./keywords.js";
import type { Play, Vars } from "./model.js";
import { parseNodes } from "./nodes.js";
import { checkNotifyTargets } from "./notify-check.js";
import { readHosts, readOrder, readPercentage, readVarsPrompt, readSerial, readStrategy, readVarsFiles } from "./play-fields.js";
import { checkKeys, optional, present, readBool, readInt, readList, readString, readTags, readVars } from "./readers.js";
import { expandRole, readRoleRef } from "./roles.js";
import { parseHandlers, readEnvironment } from "./task.js";
import { readModuleDefaults } from "./module-defaults.js";

export interface PlaySettings {
  /** The playbook file that holds the play and its directory. */
  readonly file: string;
  readonly dir: string;
  readonly catalog: ModuleCatalog;
  readonly rolesPath: readonly string[];
  readonly extraVars: Vars;
  /** Decrypts vault-encrypted vars_files. */
  readonly vault?: VaultKeyring | undefined;
}

export function parsePlay(entry: Cursor, settings: PlaySettings): Play {
  checkKeys(entry, PLAY_KEYWORDS, "a play", UNSUPPORTED_PLAY_KEYWORDS);
  const hostsAt = present(entry, "hosts");
  if (hostsAt === undefined) fail(entry, "play has no 'hosts:'", "add the hosts to run on, e.g. 'hosts: all' or 'hosts: web'");
  const hosts = readHosts(hostsAt);
  checkAcceptedKeywords(entry);
  const scope = newPlayScope(settings.dir, settings.rolesPath, settings.vault);
  const defaultsAt = present(entry, "module_defaults");
  const moduleDefaults = defaultsAt === undefined ? undefined : readModuleDefaults(defaultsAt, settings.catalog);
  const context: LoadContext = { dir: settings.dir, role: undefined, catalog: settings.catalog, fileStack: [settings.file], scope, moduleDefaults };
  const vars = {
    ...(optional(entry, "vars", (c) => readVars(c)) ?? {}),
    ...(optional(entry, "vars_files", (c) => readVarsFiles(c, settings.dir, settings.extraVars, settings.vault)) ?? {}),
  };
  // Ansible's load order: pre_tasks, roles, tasks, post_tasks.
  const preTasks = parseNodes(child(entry, "pre_tasks"), context, "pre_tasks");
  const rolesAt = child(entry, "roles");
  const roleTasks = readList(rolesAt, "roles").flatMap((_, index) => expandRole(context, readRoleRef(child(rolesAt, index)), { always: false }));
  const tasks = parseNodes(child(entry, "tasks"), context, "tasks");
  const postTasks = parseNodes(child(entry, "post_tasks"), context, "post_tasks");
  const handlers = [...scope.handlers, ...parseHandlers(child(entry, "handlers"), context)];
  checkNotifyTargets([...preTasks, ...roleTasks, ...tasks, ...postTasks], handlers);
  return {
    name: optional(entry, "name", (c) => readString(c, "name")) ?? hosts,
    where: whereOf(entry),
    hosts,
    become: optional(entry, "become", (c) => readBool(c, "become")) ?? false,
    becomeUser: optional(entry, "become_user", (c) => readString(c, "become_user")) ?? "root",
    remoteUser: optional(entry, "remote_user", (c) => readString(c, "remote_user")),
    connection: optional(entry, "connection", readConnection),
    gatherFacts: optional(entry, "gather_facts", (c) => readBool(c, "gather_facts")) ?? true,
    vars,
    roles: scope.roles,
    preTasks,
    tasks: [...roleTasks, ...tasks],
    postTasks,
    handlers,
    serial: optional(entry, "serial", readSerial) ?? [],
    strategy: optional(entry, "strategy", readStrategy) ?? "linear",
    anyErrorsFatal: optional(entry, "any_errors_fatal", (c) => readBool(c, "any_errors_fatal")) ?? false,
    forceHandlers: optional(entry, "force_handlers", (c) => readBool(c, "force_handlers")) ?? false,
    maxFailPercentage: optional(entry, "max_fail_percentage", readPercentage),
    tags: optional(entry, "tags", readTags) ?? [],
    environment: optional(entry, "environment", readEnvironment),
    order: optional(entry, "order", readOrder),
    varsPrompt: optional(entry, "vars_prompt", readVarsPrompt),
    throttle: optional(entry, "throttle", (c) => readInt(c, "throttle", 1)),
  };
}
