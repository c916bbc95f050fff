/**
 * Variables whose values are templates, rendered when read, as Ansible does: with
 * `a: "{{ inventory_hostname }}-x"` and `b: "{{ a }}-y"`, `{{ b }}` is "h1-x-y", not "{{ a }}-y".
 * Roles depend on this: a default such as `etcd_name: "{{ inventory_hostname }}"` must mean the
 * host's name wherever it is used.
 *
 * Each templated variable becomes a getter that renders its raw value against the object it is
 * read from (so a copy with a loop's `item` added renders with that item), once per object.
 * Reading a variable while it is being rendered is a cycle, reported as an error instead of a
 * stack overflow. Values without "{{" stay plain data properties.
 */
import { ParseError, type SourceLocation } from "../errors.js";
import type { Vars } from "../playbook/model.js";
import { hasTemplate, renderValue } from "../template/index.js";

/**
 * The variables with every templated value rendered on read. `plain` are added as they are and
 * replace same-named `vars` (magic variables, registered results: data, never templates).
 */
export function lazyVars(vars: Vars, plain: Vars, where: SourceLocation): Vars {
  const out: Vars = {};
  const rendered = new WeakMap<object, Map<string, unknown>>();
  const resolving = new Set<string>();
  for (const [key, raw] of Object.entries(vars)) {
    if (Object.hasOwn(plain, key)) continue;
    if (!hasTemplate(raw)) {
      out[key] = raw;
      continue;
    }
    Object.defineProperty(out, key, {
      enumerable: true,
      configurable: true,
      get(this: Vars): unknown {
        const cache = rendered.get(this) ?? new Map<string, unknown>();
        rendered.set(this, cache);
        if (cache.has(key)) return cache.get(key);
        if (resolving.has(key)) {
          throw new ParseError(`variable '${key}' is defined in terms of itself`, {
            location: where,
            hint: `follow the chain ${[...resolving, key].join(" -> ")} and break the loop`,
          });
        }
        resolving.add(key);
        try {
          const value = renderValue(raw, this, where);
          cache.set(key, value);
          return value;
        } finally {
          resolving.delete(key);
        }
      },
    });
  }
  return Object.assign(out, plain);
}

/**
 * A copy of lazy variables with more added (a loop item, a registered result). Unlike `{...vars}`
 * it keeps the getters, so nothing is rendered before it is read and templates see the additions.
 */
export function extendVars(vars: Vars, more: Vars): Vars {
  const copy = Object.defineProperties({}, Object.getOwnPropertyDescriptors(vars)) as Vars;
  for (const [key, value] of Object.entries(more)) {
    Object.defineProperty(copy, key, { value, enumerable: true, configurable: true, writable: true });
  }
  return copy;
}
