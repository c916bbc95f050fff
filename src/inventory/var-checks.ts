/**
 * Type rules for the connection variables runbook reads (connection.ts). They run twice: at
 * load time on literal inventory values (so a bad `ansible_port` is reported at its line), and
 * when connection settings are built from a host's final variables.
 */
import { isAbsolute, resolve } from "node:path";
import { hasTemplate } from "../template/index.js";
import { boolWord } from "../playbook/booleans.js";

/** A value of the wrong kind: what was expected, as a hint. */
export class VarTypeProblem extends Error {
  readonly hint: string;
  constructor(message: string, hint: string) {
    super(message);
    this.name = "VarTypeProblem";
    this.hint = hint;
  }
}

export function asPort(name: string, value: unknown): number {
  const port = typeof value === "string" && /^[0-9]+$/.test(value.trim()) ? Number(value) : value;
  if (typeof port !== "number" || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new VarTypeProblem(`${name} must be a port number, got ${describe(value)}`, "a port is an integer from 1 to 65535");
  }
  return port;
}

/** Ansible's boolean(): true/false, yes/no, on/off, 1/0, in any case. */
export function asBoolean(name: string, value: unknown): boolean {
  if (typeof value === "boolean") return value;
  const word = typeof value === "string" || typeof value === "number" ? boolWord(String(value).trim()) : undefined;
  if (word !== undefined) return word;
  throw new VarTypeProblem(`${name} must be a boolean, got ${describe(value)}`, "use true or false");
}

/** Strings, and numbers written without quotes (`ansible_user=1000` in INI is a number). */
export function asText(name: string, value: unknown): string {
  if (typeof value === "string" && value !== "") return value;
  if (typeof value === "number") return String(value);
  throw new VarTypeProblem(`${name} must be a non-empty string, got ${describe(value)}`, `set ${name} to a string`);
}

export function asSeconds(name: string, value: unknown): number {
  const seconds = typeof value === "string" && /^[0-9]+(\.[0-9]+)?$/.test(value.trim()) ? Number(value) : value;
  if (typeof seconds !== "number" || !Number.isFinite(seconds) || seconds <= 0) {
    throw new VarTypeProblem(`${name} must be a positive number of seconds, got ${describe(value)}`, "e.g. 10");
  }
  return seconds;
}

export function asOneOf<T extends string>(name: string, value: unknown, allowed: readonly T[]): T {
  const found = allowed.find((option) => option === value);
  if (found === undefined) {
    throw new VarTypeProblem(`${name} must be one of ${allowed.join(", ")}; got ${describe(value)}`, `set ${name} to ${allowed.join(" or ")}`);
  }
  return found;
}

/** Variables holding a local file path: relative values resolve against the defining file's directory. */
export const PATH_VARS: ReadonlySet<string> = new Set([
  "ansible_ssh_private_key_file",
  "ansible_private_key_file",
  "runbook_known_hosts_file",
]);

/**
 * Type checks run at load time. Whether runbook supports a value (ansible_connection: winrm,
 * ansible_become_method: su) is only asked in connection.ts, for the hosts a play targets,
 * so one such host does not stop the whole inventory from loading.
 */
const CHECKS: Readonly<Record<string, (name: string, value: unknown) => unknown>> = {
  ansible_port: asPort,
  ansible_ssh_port: asPort,
  ansible_host: asText,
  ansible_ssh_host: asText,
  ansible_user: asText,
  ansible_ssh_user: asText,
  ansible_become: asBoolean,
  ansible_become_user: asText,
  ansible_ssh_timeout: asSeconds,
  ansible_timeout: asSeconds,
  ansible_ssh_private_key_file: asText,
  ansible_private_key_file: asText,
  runbook_known_hosts_file: asText,
  runbook_host_key_checking: (name, value) => asOneOf(name, value, HOST_KEY_CHECKING),
  ansible_host_key_checking: asBoolean,
  ansible_ssh_host_key_checking: asBoolean,
};

export const CONNECTION_TYPES = ["ssh", "smart", "paramiko", "local"] as const;
export const HOST_KEY_CHECKING = ["strict", "accept-new", "off"] as const;

/** Text still to be templated is checked only after templating. */
function isTemplated(value: unknown): boolean {
  return typeof value === "string" && hasTemplate(value);
}

/**
 * Checks a literal inventory value for a known variable and makes path variables absolute
 * against `baseDir`. Throws VarTypeProblem; other variables pass unchanged.
 */
export function checkInventoryVar(name: string, value: unknown, baseDir: string): unknown {
  if (isTemplated(value)) return value;
  CHECKS[name]?.(name, value);
  if (PATH_VARS.has(name) && typeof value === "string" && !isAbsolute(value) && !value.startsWith("~")) {
    return resolve(baseDir, value);
  }
  return value;
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return `${typeof value} ${JSON.stringify(value)}`;
}
