/**
 * Roles: found by name in roles/ directories, read from their tasks/handlers/defaults/vars/meta
 * files, expanded with their dependencies first. Each role is registered once per play.
 */
import type { VaultKeyring } from "../vault/keyring.js";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { didYouMean } from "../errors.js";
import { loadYamlFile } from "../source/yaml.js";
import type { LoadContext, PlayScope } from "./context.js";
import { child, describeValue, fail, isMapping, rootCursor, type Cursor } from "./cursor.js";
import { readConnection } from "./common.js";
import { inherit } from "./inherit.js";
import type { Node, RoleInfo, Vars } from "./model.js";
import { loadTaskList } from "./nodes.js";
import { optional, readConditions, readList, readMapping, readString, readTags, readVars } from "./readers.js";
import { parseHandlers } from "./task.js";

/** A place that names a role: a `roles:` entry, a dependency, or an import_role. */
export interface RoleRef {
  readonly name: string;
  /** Where the name is written, for "not found" and cycle errors. */
  readonly at: Cursor;
  /** Role params (`{role: x, port: 80}`) become vars on the role's tasks, above their own. */
  readonly params: Vars;
  readonly when: readonly string[];
  readonly tags: readonly string[];
  /** `remote_user`/`connection` on a `roles:` entry, for the role's tasks that set none. */
  readonly remoteUser?: string | undefined;
  readonly connection?: string | undefined;
  /** include_role/import_role's tasks_from, vars_from, defaults_from, handlers_from: files in place of main. */
  readonly from?: RoleFiles | undefined;
}

export interface RoleFiles {
  readonly tasks?: string | undefined;
  readonly vars?: string | undefined;
  readonly defaults?: string | undefined;
  readonly handlers?: string | undefined;
}

const ROLE_REF_KEYWORDS = new Set(["role", "name", "tags", "when", "vars", "remote_user", "connection"]);

/** `- web` or `- {role: web, tags: [x], when: ..., vars: {...}, port: 80}`. */
export function readRoleRef(entry: Cursor): RoleRef {
  if (typeof entry.value === "string") return { name: readString(entry, "role"), at: entry, params: {}, when: [], tags: [] };
  if (!isMapping(entry.value)) fail(entry, `a role must be a name or a mapping with 'role:', found ${describeValue(entry.value)}`, "write '- rolename' or '- role: rolename'");
  const nameKey = "role" in entry.value ? "role" : "name" in entry.value ? "name" : undefined;
  if (nameKey === undefined) fail(entry, "role entry has no 'role:' key", "write '- role: rolename'");
  const params: Vars = { ...(optional(entry, "vars", (c) => readVars(c)) ?? {}) };
  for (const [key, value] of Object.entries(entry.value)) {
    if (!ROLE_REF_KEYWORDS.has(key)) params[key] = value;
  }
  return {
    name: readString(child(entry, nameKey), "role"),
    at: child(entry, nameKey),
    params,
    when: optional(entry, "when", (c) => readConditions(c, "when")) ?? [],
    tags: optional(entry, "tags", readTags) ?? [],
    remoteUser: optional(entry, "remote_user", (c) => readString(c, "remote_user")),
    connection: optional(entry, "connection", readConnection),
  };
}

/**
 * The role's nodes, dependencies' first. With `always: false` (the `roles:` list and
 * dependencies) a role already in the play gives nothing; import_role always inlines its tasks.
 */
export function expandRole(context: LoadContext, ref: RoleRef, options: { always: boolean; chain?: readonly string[]; included?: boolean }): Node[] {
  const chain = options.chain ?? [];
  if (chain.includes(ref.name)) {
    const cycle = [...chain.slice(chain.indexOf(ref.name)), ref.name].join(" -> ");
    fail(ref.at, `role dependency cycle: ${cycle}`, "remove one of these dependencies from meta/main.yaml", { kind: "play" });
  }
  const { scope } = context;
  if (!options.always && scope.loaded.has(ref.name)) return [];
  const dir = findRole(scope, ref);
  const from = ref.from ?? {};
  // vars_from/defaults_from make a role of their own variables; main's stay with the plain role
  const own = from.vars !== undefined || from.defaults !== undefined;
  const info = (own ? undefined : scope.loaded.get(ref.name)) ?? readRoleInfo(ref.name, dir, scope.vault, from);
  const dependencies = readDependencies(dir).flatMap((dependency) =>
    expandRole(context, dependency, { always: false, chain: [...chain, ref.name] }),
  );
  const roleContext: LoadContext = { ...context, dir: join(dir, "tasks"), role: info };
  const firstLoad = !scope.loaded.has(ref.name);
  if (firstLoad) {
    scope.loaded.set(ref.name, info);
    scope.roles.push(info);
  }
  // Ansible gives each import_role/include_role with its own vars (or handlers file) a copy of the
  // role's handlers, an include_role's live once it has included the role; `roles:` loads a role once.
  const key = handlerCopyKey(ref);
  const wantsHandlers = options.always ? !scope.handlerCopies.has(key) : firstLoad;
  if (wantsHandlers) {
    scope.handlerCopies.add(key);
    const handlersFile = roleFile(dir, "handlers", from.handlers, ref.at);
    if (handlersFile !== undefined) {
      // a roles: entry's remote_user/connection reach its handlers too, as its tasks
      const handlers = parseHandlers(rootCursor(loadYamlFile(handlersFile)), { ...roleContext, dir: join(dir, "handlers") }).map((handler) => ({
        ...handler,
        remoteUser: handler.remoteUser ?? ref.remoteUser,
        connection: handler.connection ?? ref.connection,
      }));
      scope.handlers.push(...(options.included === true ? handlers.map((handler) => ({ ...handler, includedBy: key })) : handlers));
    }
  }
  const tasksFile = roleFile(dir, "tasks", from.tasks, ref.at);
  const tasks = tasksFile === undefined ? [] : loadTaskList(tasksFile, roleContext, ref.at);
  // a role's tags are its reference's (Ansible does not tag a role's tasks with the role's name)
  return inherit([...dependencies, ...inherit(tasks, { vars: ref.params, varsWin: true })], { when: ref.when, tags: ref.tags, remoteUser: ref.remoteUser, connection: ref.connection });
}

/** Which copy of a role's handlers a reference gets: one per role, handlers file and include vars. */
export function handlerCopyKey(ref: RoleRef): string {
  return JSON.stringify([ref.name, ref.from?.handlers ?? "", ref.params]);
}

/** `roles/NAME` next to the playbook, then `../roles/NAME` (the project top), then RUNBOOK_ROLES_PATH. */
export function roleSearchDirs(scope: PlayScope): string[] {
  return [...new Set([join(scope.playbookDir, "roles"), resolve(scope.playbookDir, "..", "roles"), ...scope.rolesPath.map((p) => resolve(p))])];
}

function findRole(scope: PlayScope, ref: RoleRef): string {
  const searched = roleSearchDirs(scope);
  for (const base of searched) {
    const dir = join(base, ref.name);
    if (isDirectory(dir)) return dir;
  }
  const available = searched.filter(isDirectory).flatMap((base) => readdirSync(base).filter((name) => isDirectory(join(base, name))));
  const suggestion = didYouMean(ref.name, available);
  fail(ref.at, `role '${ref.name}' not found`, `${suggestion === undefined ? "" : `${suggestion} `}searched ${searched.join(", ")}`, { kind: "play" });
}

function readRoleInfo(name: string, dir: string, vault: VaultKeyring, from: RoleFiles = {}): RoleInfo {
  return {
    name,
    path: dir,
    defaults: readVarsFile(roleFile(dir, "defaults", from.defaults), vault),
    vars: readVarsFile(roleFile(dir, "vars", from.vars), vault),
  };
}

/** `<part>/main.y(a)ml`, or the file a `<part>_from` names (with or without its extension); a named file must exist. */
function roleFile(dir: string, part: string, named: string | undefined, at?: Cursor): string | undefined {
  if (named === undefined) return mainFile(dir, part);
  const found = [named, `${named}.yaml`, `${named}.yml`].map((name) => join(dir, part, name)).find((file) => existsSync(file) && !isDirectory(file));
  if (found === undefined && at !== undefined) fail(at, `${part}_from: ${named} not found in ${join(dir, part)}`, `the role's ${part}/ has: ${existsSync(join(dir, part)) ? readdirSync(join(dir, part)).join(", ") : "nothing"}`, { kind: "play" });
  return found;
}

/** A role's defaults/ or vars/ file, which may be vault-encrypted as Ansible allows. */
function readVarsFile(file: string | undefined, vault: VaultKeyring): Vars {
  if (file === undefined) return {};
  return readVars(rootCursor(vault.loadYaml(file)), file);
}

function readDependencies(dir: string): RoleRef[] {
  const file = mainFile(dir, "meta");
  if (file === undefined) return [];
  const root = rootCursor(loadYamlFile(file));
  readMapping(root, "meta/main.yaml");
  const list = child(root, "dependencies");
  return readList(list, "dependencies").map((_, index) => readRoleRef(child(list, index)));
}

/** `<role>/<part>/main.yaml`, or `main.yml`. */
function mainFile(dir: string, part: string): string | undefined {
  return ["main.yaml", "main.yml"].map((name) => join(dir, part, name)).find((file) => existsSync(file));
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
