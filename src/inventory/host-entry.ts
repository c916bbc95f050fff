/**
 * A host entry as written in an inventory: `name`, `name:port`, `[v6addr]:port`, a bare IPv6
 * address, each possibly with ranges. Mirrors Ansible's parse_address + _expand_hostpattern.
 */
import { ParseError, type SourceLocation } from "../errors.js";
import { expandHostRange } from "./ranges.js";

export interface HostEntry {
  readonly names: readonly string[];
  readonly port?: number | undefined;
}

export function parseHostEntry(text: string, where: SourceLocation): HostEntry {
  const entry = text.trim();
  if (entry === "") throw new ParseError("empty host name", { location: where, hint: "give the host a name" });
  if (entry === "---") {
    throw new ParseError("'---' is not a host name", { location: where, hint: "this looks like YAML: name the file .yaml or .yml" });
  }
  const bracketed = /^\[([0-9a-fA-F:.]+)\]:([0-9]+)$/.exec(entry);
  if (bracketed?.[1]?.includes(":")) return { names: [bracketed[1]], port: toPort(bracketed[2] ?? "", entry, where) };
  const outside = entry.replace(/\[[^\]]*\]/g, "");
  const colons = outside.split(":").length - 1;
  if (colons > 1) return { names: [entry] }; // a bare IPv6 address: no port part
  if (colons === 1) {
    const cut = entry.lastIndexOf(":");
    const port = entry.slice(cut + 1);
    if (!/^[0-9]+$/.test(port)) {
      throw new ParseError(`invalid host '${entry}': the part after ':' must be a port number`, {
        location: where,
        hint: "':' separates a port (web1:2222); set other variables with ansible_port etc.",
      });
    }
    return { names: expandHostRange(entry.slice(0, cut), where), port: toPort(port, entry, where) };
  }
  return { names: expandHostRange(entry, where) };
}

function toPort(text: string, entry: string, where: SourceLocation): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new ParseError(`invalid port in host '${entry}'`, { location: where, hint: "a port is an integer from 1 to 65535" });
  }
  return port;
}
