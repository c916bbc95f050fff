/**
 * Ansible's YAML inventory: top-level keys are groups (usually `all`), each a mapping with
 * `hosts`, `children` (groups, nested to any depth) and `vars`. A host's value is its variables
 * or null. Shapes Ansible would skip with a warning are errors here, so typos do not vanish.
 */
import { didYouMean, ParseError, type SourceLocation } from "../errors.js";
import type { YamlPath, YamlSource } from "../source/yaml.js";
import type { InventoryBuilder } from "./builder.js";
import { parseHostEntry } from "./host-entry.js";

const SECTIONS = ["hosts", "children", "vars"] as const;

export function readYamlInventory(source: YamlSource, builder: InventoryBuilder): void {
  const root = source.value;
  if (root === undefined || root === null) return; // an empty file defines nothing
  if (!isMapping(root)) {
    throw new ParseError(`a YAML inventory must be a mapping of group names, found ${kind(root)}`, {
      location: source.locate([]),
      hint: "start with 'all:' and put hosts under 'all: { hosts: ... }'",
    });
  }
  if ("plugin" in root) {
    throw new ParseError("inventory plugin configurations are not supported", {
      location: source.locate(["plugin"], { key: true }),
      hint: "list the hosts in a static YAML or INI inventory",
    });
  }
  const reader = new YamlGroupReader(source, builder);
  for (const [name, data] of Object.entries(root)) reader.group(name, data, [name]);
}

class YamlGroupReader {
  constructor(
    private readonly source: YamlSource,
    private readonly builder: InventoryBuilder,
  ) {}

  group(name: string, data: unknown, path: YamlPath): void {
    this.builder.group(name);
    if (data === null || data === undefined) return;
    if (!isMapping(data)) {
      throw new ParseError(`group '${name}' must be a mapping, found ${kind(data)}`, {
        location: this.source.locate(path),
        hint: Array.isArray(data) ? `list the hosts as a mapping: '${name}: { hosts: { host1: null } }'` : "a group has hosts:, children: and vars:",
      });
    }
    for (const key of Object.keys(data)) {
      if (!(SECTIONS as readonly string[]).includes(key)) {
        throw new ParseError(`unknown key '${key}' in group '${name}'`, {
          location: this.at([...path, key], true),
          hint: didYouMean(key, SECTIONS) ?? "a group may only have hosts:, children: and vars:; nest groups under children:",
        });
      }
    }
    // Sections in the order written, so hosts keep the order in which they appear in the file.
    for (const key of Object.keys(data)) {
      const entries = this.section(data, key, name, path);
      if (key === "vars") this.vars(name, entries, [...path, key]);
      else if (key === "hosts") this.hosts(name, entries, [...path, key]);
      else this.children(name, entries, [...path, key]);
    }
  }

  private children(group: string, children: Record<string, unknown>, path: YamlPath): void {
    for (const [child, childData] of Object.entries(children)) {
      this.group(child, childData, [...path, child]);
      this.builder.addChild(group, child, this.at([...path, child], true));
    }
  }

  /** A section as a mapping: null is empty and a lone string names one entry, as Ansible allows. */
  private section(data: Record<string, unknown>, section: string, group: string, path: YamlPath): Record<string, unknown> {
    const value = data[section];
    if (value === null || value === undefined) return {};
    if (typeof value === "string") return { [value]: null };
    if (!isMapping(value)) {
      throw new ParseError(`'${section}' of group '${group}' must be a mapping, found ${kind(value)}`, {
        location: this.source.locate([...path, section]),
        hint: section === "hosts" ? "write hosts as 'name:' keys, one per line (a list '- name' is not allowed)" : `write ${section} as 'name: value' pairs`,
      });
    }
    return value;
  }

  private vars(group: string, vars: Record<string, unknown>, path: YamlPath): void {
    for (const [name, value] of Object.entries(vars)) this.builder.setGroupVar(group, name, value, this.at([...path, name]));
  }

  private hosts(group: string, hosts: Record<string, unknown>, path: YamlPath): void {
    for (const [entry, vars] of Object.entries(hosts)) {
      const hostPath = [...path, entry];
      if (vars !== null && vars !== undefined && !isMapping(vars)) {
        throw new ParseError(`variables of host '${entry}' must be a mapping, found ${kind(vars)}`, {
          location: this.source.locate(hostPath),
          hint: `write '${entry}:' alone, or its variables as 'name: value' pairs indented below it`,
        });
      }
      const { names, port } = parseHostEntry(entry, this.at(hostPath, true));
      for (const host of names) {
        this.builder.addHost(host, group, this.at(hostPath, true));
        if (port !== undefined) this.builder.setHostVar(host, "ansible_port", port, this.at(hostPath, true));
        for (const [name, value] of Object.entries(vars ?? {})) {
          this.builder.setHostVar(host, name, value, this.at([...hostPath, name]));
        }
      }
    }
  }

  private at(path: YamlPath, key = false): SourceLocation {
    return this.source.locate(path, { key });
  }
}

export function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

export function kind(value: unknown): string {
  if (Array.isArray(value)) return "a list";
  if (value === null || value === undefined) return "nothing";
  if (typeof value === "object") return "a mapping";
  return `a ${typeof value} (${JSON.stringify(value)})`;
}
