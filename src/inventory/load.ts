/**
 * loadInventories: several `-i` sources merged as Ansible merges them (later sources win for
 * the same variable), plus each source's group_vars/ and host_vars/.
 */
import type { VaultKeyring } from "../vault/keyring.js";
import { resolve } from "node:path";
import { InventoryBuilder } from "./builder.js";
import { LoadedInventory, reconcile, type FileVars } from "./model.js";
import { expandSource, readInventoryFile } from "./sources.js";
import type { Inventory, Vars } from "./types.js";
import { loadEntityVars, type VarsKind } from "./vars-files.js";

export interface InventoryLoadOptions {
  /** Decrypts vault-encrypted group_vars/host_vars files (and records their values as secrets). */
  readonly vault?: VaultKeyring | undefined;
}

export function loadInventories(paths: readonly string[], options: InventoryLoadOptions = {}): Inventory {
  const builder = new InventoryBuilder();
  const sources = paths.map(expandSource);
  for (const source of sources) for (const file of source.files) readInventoryFile(file, builder);
  reconcile(builder);
  const fileVars = varsDirsInOrder(sources.map((source) => source.varsDir)).map((dir) => ({
    groups: entityVars(dir, "group_vars", builder.groups.keys(), options.vault),
    hosts: entityVars(dir, "host_vars", builder.hosts.keys(), options.vault),
  }));
  return new LoadedInventory(builder, fileVars satisfies FileVars[]);
}

/** Each directory once, at its last position, so the last source naming it still wins. */
function varsDirsInOrder(dirs: readonly string[]): string[] {
  const absolute = dirs.map((dir) => resolve(dir));
  return absolute.filter((dir, index) => absolute.lastIndexOf(dir) === index);
}

function entityVars(dir: string, kind: VarsKind, names: Iterable<string>, vault: VaultKeyring | undefined): Map<string, Vars> {
  const found = new Map<string, Vars>();
  for (const name of names) {
    const vars = loadEntityVars(dir, kind, name, vault);
    if (vars) found.set(name, vars);
  }
  return found;
}
