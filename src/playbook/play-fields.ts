/** Play-only keyword values: hosts, serial, strategy, max_fail_percentage, vars_files. */
import { NO_VAULT, type VaultKeyring } from "../vault/keyring.js";
import { existsSync, openSync, closeSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { didYouMean } from "../errors.js";
import { child, describeValue, fail, isMapping, locationOf, rootCursor, type Cursor } from "./cursor.js";
import { HOST_ORDERS, type HostOrder, type Play, type VarPrompt, type Vars } from "./model.js";
import { checkKeys, optional, present, readBool, readIdentifier, readList, readString, readVars } from "./readers.js";

const STRATEGIES = ["linear", "free"] as const;

/** `hosts: web` or `hosts: [web, db]` -> "web:db". */
export function readHosts(cursor: Cursor): string {
  if (Array.isArray(cursor.value)) {
    if (cursor.value.length === 0) fail(cursor, "hosts is an empty list", "name at least one host or group, or 'all'");
    return cursor.value.map((_, index) => readString(child(cursor, index), "a hosts entry")).join(":");
  }
  return readString(cursor, "hosts");
}

/** `serial: 2`, `serial: "30%"`, `serial: [1, 5, "50%"]`. */
export function readSerial(cursor: Cursor): (number | string)[] {
  const items = Array.isArray(cursor.value) ? cursor.value.map((_, i) => child(cursor, i)) : [cursor];
  return items.map(readBatchSize);
}

function readBatchSize(cursor: Cursor): number | string {
  const value = cursor.value;
  if (typeof value === "number" && Number.isInteger(value) && value >= 1) return value;
  if (typeof value === "string") {
    const text = value.trim();
    if (/^[1-9]\d*$/.test(text)) return Number(text);
    const percent = /^(\d+(?:\.\d+)?)%$/.exec(text);
    if (percent !== null && Number(percent[1]) > 0 && Number(percent[1]) <= 100) return text;
  }
  return fail(cursor, `serial must be a host count, a percentage or a list of them, found ${describeValue(value)}`, 'write e.g. serial: 2, serial: "30%" or serial: [1, 5, "50%"]');
}

export function readStrategy(cursor: Cursor): Play["strategy"] {
  const value = readString(cursor, "strategy");
  const known = STRATEGIES.find((strategy) => strategy === value);
  if (known === undefined) fail(cursor, `unknown strategy '${value}'`, didYouMean(value, STRATEGIES) ?? `use one of: ${STRATEGIES.join(", ")}`, { kind: "play" });
  return known;
}

/** `order: sorted` and the other orders Ansible knows. */
export function readOrder(cursor: Cursor): HostOrder {
  const value = readString(cursor, "order");
  const known = HOST_ORDERS.find((order) => order === value);
  if (known === undefined) fail(cursor, `unknown host order '${value}'`, didYouMean(value, HOST_ORDERS) ?? `use one of: ${HOST_ORDERS.join(", ")}`, { kind: "play" });
  return known;
}

export function readPercentage(cursor: Cursor): number {
  const value = cursor.value;
  if (typeof value !== "number" || value < 0 || value > 100) {
    fail(cursor, `max_fail_percentage must be a number from 0 to 100, found ${describeValue(value)}`, "write e.g. max_fail_percentage: 25");
  }
  return value;
}

/**
 * Loads `vars_files` relative to `dir` and merges them in order. A path may use only
 * variables given on the command line (extra vars): host variables do not exist yet.
 */
export function readVarsFiles(cursor: Cursor, dir: string, extraVars: Vars, vault: VaultKeyring = NO_VAULT): Vars {
  const items = Array.isArray(cursor.value) ? cursor.value.map((_, i) => child(cursor, i)) : [cursor];
  let merged: Vars = {};
  for (const item of items) {
    const path = renderStaticPath(item, readString(item, "a vars_files entry"), extraVars, "vars_files");
    const file = resolve(dir, path);
    if (!existsSync(file)) fail(item, `vars file not found: ${path}`, `looked for ${file}`, { kind: "play" });
    checkReadable(item, path, file);
    merged = { ...merged, ...readVars(rootCursor(vault.loadYaml(file)), path) };
  }
  return merged;
}

const SIMPLE_TEMPLATE = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** Substitutes `{{ name }}` from extra vars in a path read at load time; anything else is an error. */
export function renderStaticPath(cursor: Cursor, path: string, extraVars: Vars, what: string): string {
  const rendered = path.replace(SIMPLE_TEMPLATE, (whole, name: string) => {
    const value = extraVars[name];
    return typeof value === "string" || typeof value === "number" ? String(value) : whole;
  });
  if (rendered.includes("{{")) {
    fail(cursor, `${what} path ${JSON.stringify(path)} is templated`, `${what} is read when the playbook loads, before host variables exist; only '{{ name }}' of an extra var (-e name=value) can be used`, { kind: "play" });
  }
  return rendered;
}

/** A vars file that exists but cannot be read is reported where the playbook names it. */
function checkReadable(item: Cursor, path: string, file: string): void {
  if (statSync(file).isDirectory()) fail(item, `vars file ${path} is a directory`, "name a YAML file; a directory of vars files is only read as group_vars/ or host_vars/");
  try {
    closeSync(openSync(file, "r"));
  } catch (error) {
    fail(item, `cannot read vars file ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, `check the permissions of ${file}`);
  }
}

const PROMPT_KEYS: ReadonlySet<string> = new Set(["name", "prompt", "default", "private", "confirm", "unsafe"]);
const PROMPT_REFUSED: ReadonlyMap<string, string> = new Map([
  ["encrypt", "runbook does not hash prompted values; hash the value yourself (password_hash filter) or pass it with -e"],
  ["salt", "runbook does not hash prompted values (encrypt)"],
  ["salt_size", "runbook does not hash prompted values (encrypt)"],
]);

/** `vars_prompt:` entries: a name, and optionally a prompt, a default, private and confirm. */
export function readVarsPrompt(cursor: Cursor): VarPrompt[] {
  return readList(cursor, "vars_prompt").map((_, index) => {
    const entry = child(cursor, index);
    if (!isMapping(entry.value)) fail(entry, `a vars_prompt entry must be a mapping, found ${describeValue(entry.value)}`, "write e.g. - name: release\n    prompt: Which release?");
    checkKeys(entry, PROMPT_KEYS, "a vars_prompt entry", PROMPT_REFUSED);
    const nameAt = present(entry, "name");
    if (nameAt === undefined) fail(entry, "vars_prompt entry has no 'name:'", "name the variable the answer goes to");
    const scalar = (key: string): string | undefined => optional(entry, key, (c) => (typeof c.value === "string" || typeof c.value === "number" || typeof c.value === "boolean" ? String(c.value) : readString(c, key)));
    return {
      name: readIdentifier(nameAt, "vars_prompt name"),
      where: locationOf(nameAt),
      prompt: scalar("prompt"),
      default: scalar("default"),
      private: optional(entry, "private", (c) => readBool(c, "private")) ?? true,
      confirm: optional(entry, "confirm", (c) => readBool(c, "confirm")) ?? false,
    };
  });
}
