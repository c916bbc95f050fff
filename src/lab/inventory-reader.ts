/**
 * Reads just what the lab needs from Ansible-style inventories (YAML or INI): each host's
 * name, its ansible_host, and the groups that list it directly. A deliberately small reader,
 * so the lab depends on no more of the inventory than that.
 * Not supported here: host ranges (web[01:03]), ansible_host set through group vars.
 */
import { readFileSync } from "node:fs";
import { ParseError, type SourceLocation } from "../errors.js";
import { parseYaml, type YamlSource } from "../source/yaml.js";

export interface InventoryHostEntry {
  readonly name: string;
  /** ansible_host, or undefined when the inventory does not set it. */
  readonly address: string | undefined;
  readonly groups: readonly string[];
  readonly where: SourceLocation;
}

interface Collector {
  readonly hosts: Map<string, { address: string | undefined; groups: Set<string>; where: SourceLocation }>;
}

function record(collector: Collector, name: string, group: string, address: unknown, where: SourceLocation): void {
  const entry = collector.hosts.get(name) ?? { address: undefined, groups: new Set<string>(), where };
  if (typeof address === "string" && address !== "") entry.address = address;
  if (group !== "all" && group !== "ungrouped") entry.groups.add(group);
  collector.hosts.set(name, entry);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function readYamlGroup(collector: Collector, source: YamlSource, group: string, node: unknown, path: (string | number)[]): void {
  if (node === null || node === undefined) return;
  if (!isRecord(node)) {
    throw new ParseError(`group '${group}' must be a mapping`, { location: source.locate(path), hint: "a group has hosts:, children: and vars:" });
  }
  const hosts = node.hosts;
  if (isRecord(hosts)) {
    for (const [name, vars] of Object.entries(hosts)) {
      const address = isRecord(vars) ? vars.ansible_host : undefined;
      record(collector, name, group, address, source.locate([...path, "hosts", name], { key: true }));
    }
  }
  const children = node.children;
  if (isRecord(children)) {
    for (const [child, childNode] of Object.entries(children)) {
      readYamlGroup(collector, source, child, childNode, [...path, "children", child]);
    }
  }
}

function readYaml(collector: Collector, text: string, file: string): void {
  const source = parseYaml(text, file);
  if (source.value === undefined || source.value === null) return;
  if (!isRecord(source.value)) {
    throw new ParseError("an inventory must be a mapping of groups", { location: source.locate([]), hint: "start with 'all:'" });
  }
  for (const [group, node] of Object.entries(source.value)) readYamlGroup(collector, source, group, node, [group]);
}

function readIni(collector: Collector, text: string, file: string): void {
  let section = "ungrouped";
  let kind: "hosts" | "other" = "hosts";
  text.split("\n").forEach((raw, index) => {
    const line = raw.replace(/[;#].*$/, "").trim();
    if (line === "") return;
    const header = /^\[([^\]]+)\]$/.exec(line);
    if (header) {
      const [name, suffix] = (header[1] ?? "").split(":");
      section = name ?? "";
      kind = suffix === undefined ? "hosts" : "other";
      return;
    }
    if (kind !== "hosts") return;
    const [name, ...pairs] = line.split(/\s+/);
    if (name === undefined) return;
    const vars = Object.fromEntries(pairs.map((pair) => [pair.split("=")[0], pair.slice(pair.indexOf("=") + 1)]));
    record(collector, name, section, vars.ansible_host, { file, line: index + 1, column: 1 });
  });
}

function looksLikeIni(text: string, file: string): boolean {
  if (/\.(ya?ml|json)$/i.test(file)) return false;
  const first = text.split("\n").map((line) => line.trim()).find((line) => line !== "" && !line.startsWith("#"));
  return first !== undefined && (first.startsWith("[") || /^\S+\s+\S+=/.test(first) || !first.includes(":"));
}

/** Reads every host of the given inventory files, in order; later files add groups. */
export function readInventoryHosts(files: readonly string[]): InventoryHostEntry[] {
  const collector: Collector = { hosts: new Map() };
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (error) {
      throw new ParseError(`cannot read inventory ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, {
        location: { file, line: 1, column: 1 },
        hint: "check the path given with -i",
        cause: error,
      });
    }
    if (looksLikeIni(text, file)) readIni(collector, text, file);
    else readYaml(collector, text, file);
  }
  return [...collector.hosts].map(([name, entry]) => ({
    name,
    address: entry.address,
    groups: [...entry.groups].sort(),
    where: entry.where,
  }));
}
