/**
 * Entry points of the playbook loader: a playbook file (with import_playbook) to the model, and
 * a tasks file for the executor's dynamic include_tasks. Pure: reads files, nothing else.
 */
import type { VaultKeyring } from "../vault/keyring.js";
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { ParseError } from "../errors.js";
import { loadYamlFile } from "../source/yaml.js";
import { acceptAnyModule, type ModuleCatalog } from "./catalog.js";
import { newPlayScope } from "./context.js";
import { child, describeCycle, describeValue, fail, isMapping, rootCursor, type Cursor } from "./cursor.js";
import type { ModuleDefaults, Node, Play, Playbook, RoleInfo } from "./model.js";
import { checkIncludeCycles } from "./include-chain.js";
import { loadTaskList } from "./nodes.js";
import { parsePlay, type PlaySettings } from "./play.js";
import { renderStaticPath } from "./play-fields.js";
import { checkKeys, readString } from "./readers.js";

export interface LoadOptions {
  /** `-e` variables: usable in vars_files and import_playbook paths. */
  readonly extraVars?: Record<string, unknown> | undefined;
  /** Which modules exist and how their arguments look; default: every module, unchecked. */
  readonly catalog?: ModuleCatalog | undefined;
  /** Extra role directories; default: RUNBOOK_ROLES_PATH (colon-separated). */
  readonly rolesPath?: readonly string[] | undefined;
  /** Decrypts vault-encrypted vars_files; without it such a file is an error that says what to pass. */
  readonly vault?: VaultKeyring | undefined;
}

export function loadPlaybook(file: string, options: LoadOptions = {}): Playbook {
  const path = resolve(file);
  const plays = loadPlays(path, options, []);
  checkIncludeCycles(plays, (included, include) => {
    try {
      return loadTaskFile(included, include.role, { catalog: options.catalog, rolesPath: options.rolesPath, vault: options.vault, moduleDefaults: include.moduleDefaults });
    } catch (error) {
      if (error instanceof ParseError) return undefined; // the run reports it if the include is reached
      throw error;
    }
  });
  return { file: path, baseDir: dirname(path), plays };
}

export interface TaskFileOptions {
  readonly catalog?: ModuleCatalog | undefined;
  readonly rolesPath?: readonly string[] | undefined;
  /** Where roles/ is looked up for an import_role inside the file; default: the file's directory. */
  readonly playbookDir?: string | undefined;
  /** Decrypts vault-encrypted vars files the tasks file reaches (a role's vars/, include_vars). */
  readonly vault?: VaultKeyring | undefined;
  /** The module_defaults in force where the file is included. */
  readonly moduleDefaults?: ModuleDefaults | undefined;
}

/**
 * A tasks file included at run time. Roles imported inside it inline their tasks, but their
 * handlers cannot join the running play: notify handlers the play already has.
 */
export function loadTaskFile(file: string, role?: RoleInfo, options: TaskFileOptions = {}): Node[] {
  const path = resolve(file);
  const scope = newPlayScope(options.playbookDir ?? dirname(path), options.rolesPath ?? rolesPathFromEnv(), options.vault);
  return loadTaskList(path, { dir: dirname(path), role, catalog: options.catalog ?? acceptAnyModule, fileStack: [], scope, moduleDefaults: options.moduleDefaults }, undefined);
}

const IMPORT_PLAYBOOK_KEYS = new Set(["import_playbook", "name"]);

function loadPlays(file: string, options: LoadOptions, stack: readonly string[], at?: Cursor): Play[] {
  if (stack.includes(file)) {
    const cycle = describeCycle(stack.slice(stack.indexOf(file)), file);
    if (at !== undefined) fail(at, `import_playbook cycle: ${cycle}`, "a playbook must not import itself, directly or through others");
    throw new ParseError(`import_playbook cycle: ${cycle}`, { location: { file, line: 1, column: 1 } });
  }
  const root = rootCursor(loadYamlFile(file));
  const value = root.value;
  if (value === null || value === undefined || (Array.isArray(value) && value.length === 0)) {
    fail(root, "playbook is empty", "a playbook is a list of plays, each with 'hosts:' and 'tasks:'");
  }
  if (!Array.isArray(value)) fail(root, `a playbook must be a list of plays, found ${describeValue(value)}`, "start each play with '- hosts: ...'");
  const settings: PlaySettings = {
    file,
    dir: dirname(file),
    catalog: options.catalog ?? acceptAnyModule,
    rolesPath: options.rolesPath ?? rolesPathFromEnv(),
    extraVars: options.extraVars ?? {},
    vault: options.vault,
  };
  return value.flatMap((entry, index) => {
    const cursor = child(root, index);
    if (isMapping(entry) && "import_playbook" in entry) return importPlaybook(cursor, settings, options, [...stack, file]);
    if (!isMapping(entry)) fail(cursor, `a play must be a mapping, found ${describeValue(entry)}`, "write a play as '- hosts: ...' with its keywords indented under it");
    return [parsePlay(cursor, settings)];
  });
}

function importPlaybook(entry: Cursor, settings: PlaySettings, options: LoadOptions, stack: readonly string[]): Play[] {
  checkKeys(entry, IMPORT_PLAYBOOK_KEYS, "import_playbook");
  const at = child(entry, "import_playbook");
  const path = renderStaticPath(at, readString(at, "import_playbook"), settings.extraVars, "import_playbook");
  const file = resolve(settings.dir, path);
  if (!existsSync(file)) fail(at, `playbook not found: ${path}`, `looked for ${file}`, { kind: "play" });
  return loadPlays(file, options, stack, at);
}

function rolesPathFromEnv(): string[] {
  return (process.env.RUNBOOK_ROLES_PATH ?? "").split(":").filter((entry) => entry !== "");
}

export { findRoleNames, listTasks, type ListedTask } from "./list.js";
export type { ArgCheck, ArgIssue, ModuleCatalog } from "./catalog.js";
