/**
 * Inventory sources: a `-i` path is a YAML file, an INI file, or a directory of them (read in
 * name order, recursively, skipping what Ansible skips). Files without a telling extension are
 * YAML when they parse as a YAML mapping, INI otherwise.
 */
import { readdirSync, readFileSync, statSync, type Stats } from "node:fs";
import { dirname, extname, join } from "node:path";
import { ParseError } from "../errors.js";
import { parseYaml, type YamlSource } from "../source/yaml.js";
import type { InventoryBuilder } from "./builder.js";
import { readIniInventory } from "./ini-inventory.js";
import { isMapping, readYamlInventory } from "./yaml-inventory.js";

/** Ansible's INVENTORY_IGNORE_EXTS (ansible-core 2.19+, which reads .ini files in directories). */
const IGNORED_EXTENSIONS = [".pyc", ".pyo", ".swp", ".bak", "~", ".rpm", ".md", ".txt", ".rst", ".orig", ".cfg", ".retry"];
const IGNORED_NAMES = new Set(["group_vars", "host_vars", "vars_plugins"]);
const YAML_EXTENSIONS = new Set([".yml", ".yaml", ".json"]);

export interface InventorySource {
  /** The inventory files this source stands for, in reading order. */
  readonly files: readonly string[];
  /** Where its group_vars/ and host_vars/ live: the directory itself, or the file's directory. */
  readonly varsDir: string;
}

export function expandSource(path: string): InventorySource {
  const stats = statOrThrow(path);
  if (!stats.isDirectory()) return { files: [path], varsDir: dirname(path) };
  return { files: filesIn(path), varsDir: path };
}

function filesIn(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    if (entry.startsWith(".") || IGNORED_NAMES.has(entry) || IGNORED_EXTENSIONS.some((ext) => entry.endsWith(ext))) continue;
    const path = join(dir, entry);
    if (statOrThrow(path).isDirectory()) files.push(...filesIn(path));
    else files.push(path);
  }
  return files;
}

export function readInventoryFile(file: string, builder: InventoryBuilder): void {
  const text = readOrThrow(file);
  const extension = extname(file).toLowerCase();
  if (YAML_EXTENSIONS.has(extension)) readYamlInventory(parseYaml(text, file), builder);
  else if (extension === ".ini") readIniInventory(text, file, builder);
  else {
    const yaml = yamlMappingOrUndefined(text, file);
    if (yaml) readYamlInventory(yaml, builder);
    else readIniInventory(text, file, builder);
  }
}

/** The file as YAML if it is a YAML mapping; anything else is left to the INI reader. */
function yamlMappingOrUndefined(text: string, file: string): YamlSource | undefined {
  try {
    const source = parseYaml(text, file);
    return isMapping(source.value) ? source : undefined;
  } catch {
    return undefined;
  }
}

function statOrThrow(path: string): Stats {
  try {
    return statSync(path);
  } catch (error) {
    throw unreadable(path, error);
  }
}

function readOrThrow(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    throw unreadable(file, error);
  }
}

function unreadable(path: string, error: unknown): ParseError {
  const code = (error as NodeJS.ErrnoException).code ?? String(error);
  return new ParseError(`cannot read inventory ${path}: ${code}`, {
    location: { file: path, line: 1, column: 1 },
    hint: code === "ENOENT" ? "check the -i path" : "check the path and its permissions",
    cause: error,
  });
}
