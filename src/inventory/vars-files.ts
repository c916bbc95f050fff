/**
 * group_vars/ and host_vars/ beside an inventory (Ansible's host_group_vars plugin): for an
 * entity NAME the first of `NAME` (a file, or a directory of files merged in name order),
 * `NAME.yml`, `NAME.yaml`, `NAME.json` is read.
 */
import { readdirSync, statSync, type Stats } from "node:fs";
import { extname, join } from "node:path";
import { ParseError } from "../errors.js";
import { NO_VAULT, type VaultKeyring } from "../vault/keyring.js";
import { checkedVar } from "./builder.js";
import type { Vars } from "./types.js";
import { isMapping, kind } from "./yaml-inventory.js";

const EXTENSIONS = [".yml", ".yaml", ".json"];

export type VarsKind = "group_vars" | "host_vars";

/** The merged variables from `baseDir/kind/name*`, or undefined when there are none. */
export function loadEntityVars(baseDir: string, kind: VarsKind, name: string, vault: VaultKeyring = NO_VAULT): Vars | undefined {
  if (name.includes("/") || name.startsWith(".")) return undefined; // never leave the vars directory
  const files = findVarsFiles(join(baseDir, kind), name);
  if (files.length === 0) return undefined;
  const merged: Vars = {};
  for (const file of files) Object.assign(merged, loadVarsFile(file, baseDir, vault));
  return merged;
}

export function findVarsFiles(dir: string, name: string): string[] {
  for (const candidate of ["", ...EXTENSIONS].map((extension) => join(dir, name + extension))) {
    const stats = statOrUndefined(candidate);
    if (stats?.isDirectory()) return filesIn(candidate);
    if (stats?.isFile()) return [candidate];
  }
  return [];
}

/** Files of a vars directory in name order, recursing into subdirectories; hidden and backup files skipped. */
function filesIn(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    if (entry.startsWith(".") || entry.endsWith("~")) continue;
    const path = join(dir, entry);
    const extension = extname(entry);
    const stats = statOrUndefined(path);
    if (stats?.isDirectory() && extension === "") found.push(...filesIn(path));
    else if (stats?.isFile() && (extension === "" || EXTENSIONS.includes(extension))) found.push(path);
  }
  return found;
}

/** Relative paths in vars files resolve against `baseDir`, the inventory directory holding group_vars/ and host_vars/. Vault files are decrypted. */
function loadVarsFile(file: string, baseDir: string, vault: VaultKeyring): Vars {
  const source = vault.loadYaml(file);
  if (source.value === null || source.value === undefined) return {};
  if (!isMapping(source.value)) {
    throw new ParseError(`a vars file must be a mapping of variable names, found ${kind(source.value)}`, {
      location: source.locate([]),
      hint: "write one 'name: value' per line",
    });
  }
  const vars: Vars = {};
  for (const [name, value] of Object.entries(source.value)) vars[name] = checkedVar(name, value, source.locate([name]), baseDir);
  return vars;
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}
