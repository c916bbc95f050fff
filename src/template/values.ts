/** Python-flavoured value semantics shared by expressions, filters and helpers. */

/** A filter, test or helper was given a value it cannot work on; the caller adds the location. */
export class ValueProblem extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = "ValueProblem";
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Python's truthiness, which Ansible uses for `when:`: "", 0, [], {}, None and False are false. */
export function isTruthy(value: unknown): boolean {
  if (value === undefined || value === null || value === false) return false;
  if (typeof value === "number") return value !== 0 && !Number.isNaN(value);
  if (typeof value === "string" || Array.isArray(value)) return value.length > 0;
  if (isPlainObject(value)) return Object.keys(value).length > 0;
  return true;
}

/** Structural equality, as Python's == on str, int, list and dict. */
export function valuesEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => valuesEqual(item, b[i]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && valuesEqual(a[k], b[k]));
  }
  return false;
}

/** Reads an own property only: inherited members (toString, __proto__, constructor) never leak into templates. */
export function ownProperty(container: unknown, key: string | number): { found: boolean; value: unknown } {
  if (Array.isArray(container) || typeof container === "string") {
    if (typeof key !== "number" && !/^-?\d+$/.test(key)) return { found: false, value: undefined };
    const index = Number(key) < 0 ? container.length + Number(key) : Number(key);
    if (index < 0 || index >= container.length) return { found: false, value: undefined };
    return { found: true, value: container[index] };
  }
  if (typeof container === "object" && container !== null && Object.hasOwn(container, key)) {
    return { found: true, value: (container as Record<string, unknown>)[key] };
  }
  return { found: false, value: undefined };
}

/** How a value reads in text: what `{{ x }}` prints. Lists and dicts print as JSON. */
export function toText(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return value;
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

export function typeName(value: unknown): string {
  if (value === null || value === undefined) return "none";
  if (Array.isArray(value)) return "list";
  if (isPlainObject(value)) return "dict";
  return typeof value;
}
