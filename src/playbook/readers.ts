/**
 * Typed readers for keyword values: each returns the normalized value or throws a located
 * ParseError saying what was expected. `null` (a key with no value) counts as absent.
 */
import { didYouMean } from "../errors.js";
import { boolWord } from "./booleans.js";
import type { Flag, Vars } from "./model.js";
import { child, describeValue, fail, isMapping, type Cursor, type Mapping } from "./cursor.js";

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The keyword's cursor when the key is present with a non-null value. */
export function present(mapping: Cursor, key: string): Cursor | undefined {
  const cursor = child(mapping, key);
  return cursor.value === undefined || cursor.value === null ? undefined : cursor;
}

/** Reads `mapping[key]` with `reader` when present. */
export function optional<T>(mapping: Cursor, key: string, reader: (cursor: Cursor) => T): T | undefined {
  const cursor = present(mapping, key);
  return cursor === undefined ? undefined : reader(cursor);
}

export function readMapping(cursor: Cursor, what: string): Mapping {
  if (cursor.value === null || cursor.value === undefined) return {};
  if (!isMapping(cursor.value)) fail(cursor, `${what} must be a mapping, found ${describeValue(cursor.value)}`, "write it as 'key: value' lines indented under it");
  return cursor.value;
}

export function readList(cursor: Cursor, what: string): readonly unknown[] {
  if (cursor.value === null || cursor.value === undefined) return [];
  if (!Array.isArray(cursor.value)) fail(cursor, `${what} must be a list, found ${describeValue(cursor.value)}`, "start each item on its own line with '- '");
  return cursor.value;
}

export function readString(cursor: Cursor, what: string): string {
  const value = cursor.value;
  if (typeof value === "string" && value.trim() !== "") return value;
  if (typeof value === "number") return String(value);
  fail(cursor, `${what} must be a non-empty string, found ${describeValue(value)}`);
}

export function readIdentifier(cursor: Cursor, what: string): string {
  const value = readString(cursor, what);
  if (!IDENTIFIER.test(value)) fail(cursor, `${what} must be a variable name, found ${JSON.stringify(value)}`, "use letters, digits and '_', not starting with a digit", { kind: "play" });
  return value;
}

export function readBool(cursor: Cursor, what: string): boolean {
  const value = cursor.value;
  if (typeof value === "boolean") return value;
  const word = typeof value === "string" ? boolWord(value) : undefined;
  if (word !== undefined) return word;
  const hint = typeof value === "string" && value.includes("{{") ? "a templated value is not supported here; write true or false" : "write true or false";
  fail(cursor, `${what} must be true or false, found ${describeValue(value)}`, hint, { kind: "task" });
}

/** A keyword Ansible templates: true/false, or a "{{ template }}" the executor renders per host. */
export function readFlag(cursor: Cursor, what: string): Flag {
  const value = cursor.value;
  if (typeof value === "string" && value.includes("{{")) return value;
  return readBool(cursor, what);
}

export function readInt(cursor: Cursor, what: string, min = 0): number {
  const value = cursor.value;
  const number = typeof value === "string" && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof number !== "number" || !Number.isInteger(number) || number < min) {
    fail(cursor, `${what} must be a whole number${min === 0 ? " (0 or more)" : ` of at least ${min}`}, found ${describeValue(value)}`, `write e.g. ${what}: ${Math.max(min, 3)}`, { kind: "task" });
  }
  return number;
}

/** `when:`, `changed_when:`, `failed_when:`: an expression, a boolean, or a list of them (ANDed). */
export function readConditions(cursor: Cursor, what: string): string[] {
  const items = Array.isArray(cursor.value) ? cursor.value.map((_, i) => child(cursor, i)) : [cursor];
  return items.map((item) => {
    const value = item.value;
    if (typeof value === "boolean" || typeof value === "number") return String(value);
    if (typeof value === "string" && value.trim() !== "") return value.trim();
    return fail(item, `${what} must be an expression, true/false, or a list of them, found ${describeValue(value)}`, "write e.g. when: ansible_os_family == 'Debian'");
  });
}

/** `notify:`, `listen:`: a name or a list of names. */
export function readNames(cursor: Cursor, what: string): string[] {
  const items = Array.isArray(cursor.value) ? cursor.value.map((_, i) => child(cursor, i)) : [cursor];
  return items.map((item) => readString(item, what));
}

/** `tags:` as a string, a comma-separated string, or a list. */
export function readTags(cursor: Cursor): string[] {
  const items = Array.isArray(cursor.value) ? cursor.value.map((_, i) => child(cursor, i)) : [cursor];
  const tags = items.flatMap((item) => {
    const value = item.value;
    if (typeof value !== "string" && typeof value !== "number") {
      return fail(item, `tags must be a name, a comma-separated string or a list, found ${describeValue(value)}`, "write e.g. tags: [web, config]", { kind: "play" });
    }
    return String(value).split(",").map((tag) => tag.trim()).filter((tag) => tag !== "");
  });
  return [...new Set(tags)];
}

export function readVars(cursor: Cursor, what = "vars"): Vars {
  const vars = readMapping(cursor, what);
  for (const key of Object.keys(vars)) {
    if (!IDENTIFIER.test(key)) fail(child(cursor, key), `${what}: ${JSON.stringify(key)} is not a valid variable name`, "use letters, digits and '_', not starting with a digit", { key: true });
  }
  return vars;
}

/** Raw `loop:` value: a list, or a "{{ var }}" string the executor renders. */
export function readLoop(cursor: Cursor, what: string): unknown {
  const value = cursor.value;
  if (Array.isArray(value)) return value;
  if (typeof value === "string" && value.includes("{{")) return value;
  return fail(cursor, `${what} must be a list or a "{{ variable }}" template, found ${describeValue(value)}`, 'write e.g. loop: [a, b] or loop: "{{ users }}"', { kind: "task" });
}

/** Rejects keys outside `allowed`; `unsupported` keys get a "not supported yet" message. */
export function checkKeys(
  mapping: Cursor,
  allowed: ReadonlySet<string>,
  what: string,
  unsupported: ReadonlyMap<string, string> = new Map(),
  /** Keywords Ansible refuses here too, with the hint to give instead. */
  invalid: ReadonlyMap<string, string> = new Map(),
): void {
  for (const key of Object.keys(readMapping(mapping, what))) {
    if (allowed.has(key)) continue;
    const at = child(mapping, key);
    const note = unsupported.get(key);
    if (note !== undefined) fail(at, `'${key}' is not supported yet in ${what}`, note, { key: true });
    const hint = invalid.get(key);
    if (hint !== undefined) fail(at, `'${key}' is not a valid keyword of ${what}, nor in Ansible`, hint, { key: true });
    fail(at, `unknown key '${key}' in ${what}`, didYouMean(key, allowed) ?? `allowed keys: ${[...allowed].sort().join(", ")}`, { key: true });
  }
}
