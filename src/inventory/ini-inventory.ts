/**
 * Ansible's INI inventory: `[group]` sections of host lines (`host key=value ...`),
 * `[group:vars]` with one `key=value` per line, `[group:children]` naming child groups. Hosts
 * before the first section are ungrouped. Values are typed as Ansible does (python-literal.ts).
 * A group named in `:children` or `:vars` must be declared by its own `[group]` or
 * `[group:children]` section somewhere in the file (or by an earlier inventory), as in Ansible.
 */
import { didYouMean, ParseError, type SourceLocation } from "../errors.js";
import type { InventoryBuilder } from "./builder.js";
import { parseHostEntry } from "./host-entry.js";
import { iniValue } from "./python-literal.js";
import { ShellWordsError, splitShellWords } from "../source/shell-words.js";

const SECTION = /^\[([^:\]\s]+)(?::(\w+))?\]\s*(?:#.*)?$/;
const GROUP_NAME = /^([^:\]\s]+)\s*(?:#.*)?$/;
const STATES = ["hosts", "children", "vars"];

type State = "hosts" | "children" | "vars";

interface Pending {
  readonly name: string;
  readonly where: SourceLocation;
  readonly message: string;
}

export function readIniInventory(text: string, file: string, builder: InventoryBuilder): void {
  new IniReader(file, builder).read(text);
}

class IniReader {
  private group = "ungrouped";
  private state: State = "hosts";
  /** Groups that exist before this file or have a [g] / [g:children] section in it. */
  private readonly declared: Set<string>;
  /** Undeclared groups referenced so far: the first reference, and parents waiting for them. */
  private readonly pending = new Map<string, Pending & { parents: string[] }>();

  constructor(
    private readonly file: string,
    private readonly builder: InventoryBuilder,
  ) {
    this.declared = new Set(builder.groups.keys());
  }

  read(text: string): void {
    const lines = text.split(/\r?\n/);
    lines.forEach((raw, index) => {
      const line = raw.trim();
      if (line === "" || line.startsWith("#") || line.startsWith(";")) return;
      const where = this.at(index + 1, raw.length - raw.trimStart().length);
      if (this.section(line, where)) return;
      if (this.state === "hosts") this.hostLine(raw, index + 1);
      else if (this.state === "vars") this.varLine(line, where);
      else this.childLine(line, where);
    });
    const unresolved = [...this.pending.values()].sort((a, b) => a.where.line - b.where.line)[0];
    if (unresolved) throw new ParseError(unresolved.message, { location: unresolved.where, hint: this.declareHint(unresolved.name) });
  }

  private section(line: string, where: SourceLocation): boolean {
    const match = SECTION.exec(line);
    if (!match) {
      if (line.startsWith("[") && line.endsWith("]")) {
        throw new ParseError(`invalid section header '${line}'`, {
          location: where,
          hint: "a section is [group], [group:vars] or [group:children], without spaces",
        });
      }
      return false;
    }
    const group = match[1] ?? "";
    const state = match[2] ?? "hosts";
    if (!STATES.includes(state)) {
      throw new ParseError(`section [${group}:${state}] has unknown type '${state}'`, {
        location: { ...where, column: where.column + group.length + 2 },
        hint: didYouMean(state, STATES) ?? "use [group], [group:vars] or [group:children]",
      });
    }
    this.group = group;
    this.state = state as State;
    this.builder.group(group);
    if (state === "vars") {
      if (!this.declared.has(group) && !this.pending.has(group)) {
        this.pending.set(group, { name: group, where, parents: [], message: `section [${group}:vars] is for group '${group}', which is not defined` });
      }
    } else {
      this.declare(group, where);
    }
    return true;
  }

  private declare(group: string, where: SourceLocation): void {
    this.declared.add(group);
    const waiting = this.pending.get(group);
    if (!waiting) return;
    this.pending.delete(group);
    for (const parent of waiting.parents) this.builder.addChild(parent, group, where);
  }

  private hostLine(raw: string, line: number): void {
    let words;
    try {
      words = splitShellWords(raw, { comments: true });
    } catch (error) {
      if (!(error instanceof ShellWordsError)) throw error;
      throw new ParseError(`invalid host line: ${error.message}`, { location: this.at(line, error.column), hint: "close the quote or escape the character" });
    }
    const [first, ...rest] = words;
    if (!first) return;
    const entryAt = this.at(line, first.column);
    const { names, port } = parseHostEntry(first.text, entryAt);
    const vars = rest.map((word) => {
      const cut = word.text.indexOf("=");
      if (cut <= 0) {
        throw new ParseError(`expected key=value after the host name, got '${word.text}'`, {
          location: this.at(line, word.column),
          hint: "host variables are written key=value; quote values with spaces: key='a b'",
        });
      }
      return { name: word.text.slice(0, cut), value: iniValue(word.text.slice(cut + 1)), where: this.at(line, word.column) };
    });
    for (const host of names) {
      this.builder.addHost(host, this.group, entryAt);
      if (port !== undefined) this.builder.setHostVar(host, "ansible_port", port, entryAt);
      for (const { name, value, where } of vars) this.builder.setHostVar(host, name, value, where);
    }
  }

  private varLine(line: string, where: SourceLocation): void {
    const cut = line.indexOf("=");
    const name = cut < 0 ? "" : line.slice(0, cut).trim();
    if (name === "") {
      throw new ParseError(`expected key=value in [${this.group}:vars], got '${line}'`, {
        location: where,
        hint: "one variable per line: name=value",
      });
    }
    this.builder.setGroupVar(this.group, name, iniValue(line.slice(cut + 1).trim()), where);
  }

  private childLine(line: string, where: SourceLocation): void {
    const child = GROUP_NAME.exec(line)?.[1];
    if (child === undefined) {
      throw new ParseError(`expected a group name in [${this.group}:children], got '${line}'`, {
        location: where,
        hint: "one group name per line, without spaces or ':'",
      });
    }
    if (this.builder.groups.has(child)) {
      this.builder.addChild(this.group, child, where);
      return;
    }
    const waiting = this.pending.get(child);
    if (waiting) waiting.parents.push(this.group);
    else {
      this.pending.set(child, {
        name: child,
        where,
        parents: [this.group],
        message: `section [${this.group}:children] names group '${child}', which is not defined`,
      });
    }
  }

  private declareHint(name: string): string {
    return didYouMean(name, this.declared) ?? `define it with its own [${name}] section (it may be empty)`;
  }

  private at(line: number, column0: number): SourceLocation {
    return { file: this.file, line, column: column0 + 1 };
  }
}
