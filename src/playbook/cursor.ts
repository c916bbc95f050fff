/**
 * A value inside a YAML document together with the path that leads to it, so every check in the
 * loader can point the user at file:line:column without carrying nodes around.
 */
import { dirname, relative } from "node:path";
import { ParseError, type SourceLocation } from "../errors.js";
import type { YamlPath, YamlSource } from "../source/yaml.js";

export interface Cursor {
  readonly source: YamlSource;
  readonly path: YamlPath;
  readonly value: unknown;
}

export type Mapping = Record<string, unknown>;

export function rootCursor(source: YamlSource): Cursor {
  return { source, path: [], value: source.value };
}

/** The cursor of `key` inside a mapping or list cursor (value undefined when absent). */
export function child(cursor: Cursor, key: string | number): Cursor {
  const parent = cursor.value;
  let value: unknown;
  if (typeof key === "number" && Array.isArray(parent)) value = parent[key];
  else if (isMapping(parent)) value = parent[String(key)];
  return { source: cursor.source, path: [...cursor.path, key], value };
}

export function locationOf(cursor: Cursor, options: { key?: boolean } = {}): SourceLocation {
  return cursor.source.locate(cursor.path, options);
}

/** Throws a ParseError at the cursor's value (or, with `key: true`, at its key). */
/** Throws a located ParseError; `kind` says when Ansible would find the mistake (errors.ts). */
export function fail(cursor: Cursor, message: string, hint?: string, options: { key?: boolean; kind?: "play" | "task" } = {}): never {
  throw new ParseError(message, { location: locationOf(cursor, options), hint, kind: options.kind });
}

export function isMapping(value: unknown): value is Mapping {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** "a list", "a mapping", "the number 5": how error messages name what was found. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return "nothing (null)";
  if (Array.isArray(value)) return "a list";
  if (isMapping(value)) return "a mapping";
  if (typeof value === "string") return `the string ${JSON.stringify(truncate(value, 40))}`;
  return `the ${typeof value} ${String(value)}`;
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** "a.yaml -> b.yaml -> a.yaml": a cycle of files, named relative to where it starts. */
export function describeCycle(files: readonly string[], again: string): string {
  const start = dirname(files[0] ?? again);
  return [...files, again].map((file) => relative(start, file)).join(" -> ");
}
