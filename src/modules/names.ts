/**
 * The names a playbook may give a module: its own short name, Ansible's fully qualified name
 * (FQCN) from the module's `collection` (default ansible.builtin), and the spellings Ansible
 * resolves to the same module. ansible-core redirects `ansible.builtin.X` to the collection a
 * module moved to (ansible.builtin.sysctl -> ansible.posix.sysctl) and `ansible.legacy.X` to
 * the short name, so both are accepted for every Ansible module. One table, used by the
 * loader, `runbook doc`, did-you-mean and the editor schema.
 */
import type { ModuleDefinition } from "./types.js";

export const DEFAULT_COLLECTION = "ansible.builtin";

/** The collection of runbook's own modules, which Ansible lacks (ip_link, etcd_key...): they have no ansible.builtin name. */
export const RUNBOOK_COLLECTION = "runbook.builtin";

/** The module's fully qualified name: `ansible.posix.sysctl`, `ansible.builtin.copy`. */
export function fullyQualifiedName(definition: Pick<ModuleDefinition, "name" | "collection">): string {
  return `${definition.collection ?? DEFAULT_COLLECTION}.${definition.name}`;
}

/** Every other spelling of `shortName` in `collection`, the canonical FQCN first. */
function spellings(shortName: string, collection: string): string[] {
  const names = [`${collection}.${shortName}`, `ansible.legacy.${shortName}`];
  // Ansible redirects the builtin name of a module that moved into a collection; runbook's own have no builtin name
  if (collection !== RUNBOOK_COLLECTION) names.push(`${DEFAULT_COLLECTION}.${shortName}`);
  return [...new Set(names)];
}

/**
 * Each qualified name to the short name it stands for. `extraShortNames` are Ansible's names
 * for a module runbook knows under another (systemd -> service); a module of that very name wins.
 */
export function qualifiedNameTable(definitions: readonly ModuleDefinition[], extraShortNames: Readonly<Record<string, string>>): Map<string, string> {
  const table = new Map<string, string>();
  const byName = new Map(definitions.map((definition) => [definition.name, definition]));
  const add = (shortName: string, collection: string): void => {
    for (const name of spellings(shortName, collection)) if (!table.has(name)) table.set(name, shortName);
  };
  for (const definition of definitions) add(definition.name, definition.collection ?? DEFAULT_COLLECTION);
  for (const [alias, target] of Object.entries(extraShortNames)) {
    const definition = byName.get(target);
    if (definition !== undefined && !byName.has(alias)) add(alias, definition.collection ?? DEFAULT_COLLECTION);
  }
  return table;
}

/** For a qualified name Ansible does not know (a module in the wrong collection): the right one, when the short name is a module. */
export function qualifiedNameFix(name: string, table: ReadonlyMap<string, string>, fqcnOf: (shortName: string) => string | undefined): string | undefined {
  if (table.has(name) || !name.includes(".")) return undefined;
  return fqcnOf(name.slice(name.lastIndexOf(".") + 1));
}
