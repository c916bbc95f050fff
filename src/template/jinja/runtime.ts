/**
 * The runtime values of templates that are not data: Undefined (a name or key that does not
 * exist, an error as soon as it is used, as with Ansible's StrictUndefined), callables (macros,
 * globals, bound methods), namespace() objects, and the problem type that carries the node an
 * error happened at.
 */
import type { JinjaNode } from "./syntax.js";

/** What a missing name or key evaluates to; only tests, default() and friends may look at it. */
export class Undefined {
  constructor(
    readonly description: string,
    /** Where the missing name or key was written, for the error when it is used. */
    readonly node?: JinjaNode | undefined,
  ) {}
}

export type Arguments = { readonly positional: readonly unknown[]; readonly keywords: Readonly<Record<string, unknown>> };

/** Something a template may call: a macro, a global such as range() or lookup(), a method of a value. */
export class Callable {
  constructor(
    readonly name: string,
    readonly call: (args: Arguments) => unknown,
  ) {}
}

/** namespace(): the one mutable object of Jinja2, written with {% set ns.x = ... %}. */
export class Namespace {
  readonly attributes: Record<string, unknown>;
  constructor(initial: Readonly<Record<string, unknown>>) {
    this.attributes = { ...initial };
  }
}

/** A problem while evaluating, at a node of the template; render.ts turns it into a located ParseError. */
export class JinjaProblem extends Error {
  constructor(
    message: string,
    readonly node: JinjaNode | undefined,
    readonly hint?: string | undefined,
  ) {
    super(message);
    this.name = "JinjaProblem";
  }
}

export const UNDEFINED_HINT = "define it (vars, inventory, register), or guard it: 'x is defined', 'x | default(...)'";

/** The value, or a JinjaProblem at `node` when it is Undefined. */
export function defined(value: unknown, node: JinjaNode | undefined): unknown {
  if (value instanceof Undefined) throw new JinjaProblem(`${value.description} is undefined`, value.node ?? node, UNDEFINED_HINT);
  return value;
}

/** Variable scopes: the template's own assignments (innermost first) over the task's variables. */
export class Scope {
  private readonly frame = new Map<string, unknown>();
  constructor(
    readonly root: Readonly<Record<string, unknown>>,
    private readonly parent: Scope | undefined,
  ) {}

  child(): Scope {
    return new Scope(this.root, this);
  }

  set(name: string, value: unknown): void {
    this.frame.set(name, value);
  }

  /** The name's value, or undefined when no frame and no variable has it. */
  lookup(name: string): { readonly found: boolean; readonly value: unknown } {
    if (this.frame.has(name)) return { found: true, value: this.frame.get(name) };
    if (this.parent) return this.parent.lookup(name);
    if (Object.hasOwn(this.root, name)) return { found: true, value: this.root[name] };
    return { found: false, value: undefined };
  }
}
