/** What the loader carries while it walks one play: where files are, which role, what is loaded. */
import type { ModuleCatalog } from "./catalog.js";
import type { Handler, ModuleDefaults, RoleInfo } from "./model.js";
import { NO_VAULT, type VaultKeyring } from "../vault/keyring.js";

/** Per play: roles and handlers collected from `roles:`, dependencies and `import_role`. */
export interface PlayScope {
  /** Directory of the playbook file that holds the play (roles/ is looked up next to it). */
  readonly playbookDir: string;
  /** Extra role directories (RUNBOOK_ROLES_PATH), searched after the playbook's own. */
  readonly rolesPath: readonly string[];
  readonly roles: RoleInfo[];
  readonly handlers: Handler[];
  /** Roles already added to `roles`/`handlers`, by name: each is added once per play. */
  readonly loaded: Map<string, RoleInfo>;
  /** Handler copies registered, by role, handlers file and include vars (roles.ts handlerCopyKey). */
  readonly handlerCopies: Set<string>;
  /** Decrypts vault-encrypted vars files (vars_files, a role's vars/ and defaults/). */
  readonly vault: VaultKeyring;
}

export interface LoadContext {
  /** Directory of the file being read: import_tasks and include_tasks are relative to it. */
  readonly dir: string;
  readonly role: RoleInfo | undefined;
  readonly catalog: ModuleCatalog;
  /** Task files being imported, outermost first, to report import cycles. */
  readonly fileStack: readonly string[];
  readonly scope: PlayScope;
  /** module_defaults of the play and the blocks around what is being read. */
  readonly moduleDefaults?: ModuleDefaults | undefined;
}

export function newPlayScope(playbookDir: string, rolesPath: readonly string[], vault: VaultKeyring = NO_VAULT): PlayScope {
  return { playbookDir, rolesPath, roles: [], handlers: [], loaded: new Map(), handlerCopies: new Set(), vault };
}
