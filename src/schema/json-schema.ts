/** JSON Schema values as plain objects, and the small builders the editor schemas share. */
import { BOOL_SPELLINGS } from "../playbook/booleans.js";

export type JsonSchema = { [keyword: string]: unknown };

/** A value written as a template: "{{ ... }}" anywhere in a string. Rendered at run time, so any type may hide behind it. */
export const TEMPLATE: JsonSchema = { type: "string", pattern: "\\{\\{", description: "A template, rendered at run time." };

const BOOLEAN_OR_WORD: JsonSchema[] = [{ type: "boolean" }, { type: "string", enum: [...BOOL_SPELLINGS] }];

/** A boolean, or one of the words the loader reads as one (playbook/booleans.ts). */
export const boolWords: JsonSchema = { anyOf: BOOLEAN_OR_WORD };

/** The same, or a template. */
export const boolish: JsonSchema = { anyOf: [...BOOLEAN_OR_WORD, TEMPLATE] };

export const stringOrList: JsonSchema = { anyOf: [{ type: "string" }, { type: "array", items: { type: "string" } }] };

/** when/changed_when/failed_when/until: an expression, a boolean, or a list of them (all must hold). */
export const conditions: JsonSchema = {
  anyOf: [{ type: ["string", "boolean"] }, { type: "array", items: { type: ["string", "boolean"] } }],
};

export const mapping: JsonSchema = { type: "object" };

export function described(description: string, schema: JsonSchema): JsonSchema {
  return { ...schema, description };
}

/**
 * Lets every value inside a module's argument schema also be a template string, since
 * arguments are validated again after rendering (`port: "{{ app_port }}"` is fine). A plain
 * string stays as it is; anything else becomes anyOf [itself, template]. `description` and
 * `default` stay on the outside, where editors look for them.
 */
function allowTemplates(schema: JsonSchema): JsonSchema {
  const inner = templatedChildren(schema);
  if (isSchema(inner.items)) inner.items = allowTemplates(inner.items);
  for (const key of ["anyOf", "oneOf"] as const) {
    const list = inner[key];
    if (Array.isArray(list)) inner[key] = list.map((item: unknown) => (isSchema(item) ? stripTemplate(allowTemplates(item)) : item));
  }
  if (isPlainString(inner) || Object.keys(inner).every((key) => key === "description" || key === "default")) return inner;
  const { description, default: fallback, ...rest } = inner;
  const outer: JsonSchema = { anyOf: [rest, TEMPLATE] };
  if (description !== undefined) outer.description = description;
  if (fallback !== undefined) outer.default = fallback;
  return outer;
}

/** An object schema whose properties (not the object itself) may be templates. */
export function templatedChildren(schema: JsonSchema): JsonSchema {
  const result: JsonSchema = { ...schema };
  if (isSchema(result.properties)) {
    result.properties = Object.fromEntries(Object.entries(result.properties).map(([key, value]) => [key, isSchema(value) ? allowTemplates(value) : value]));
  }
  if (isSchema(result.additionalProperties)) result.additionalProperties = allowTemplates(result.additionalProperties);
  return result;
}

/** Inside an anyOf the template alternative is added once, on the outside. */
function stripTemplate(schema: JsonSchema): JsonSchema {
  const list = schema.anyOf;
  if (Array.isArray(list) && list.length === 2 && list[1] === TEMPLATE && Object.keys(schema).length === 1) return list[0] as JsonSchema;
  return schema;
}

function isPlainString(schema: JsonSchema): boolean {
  return schema.type === "string" && schema.enum === undefined && schema.pattern === undefined;
}

function isSchema(value: unknown): value is JsonSchema {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
