/**
 * Renders Jinja2 statements: output, if/elif/else, for (loop.*, else), set (also block set and
 * namespace attributes), macro, include. Output is Python's str() of each value; None prints as
 * an empty string (Ansible's finalize); an undefined value is an error.
 */
import { loopPosition } from "../loop-position.js";
import { isPlainObject } from "../values.js";
import { Expressions } from "./expressions.js";
import type { Library } from "./library.js";
import { pyStr } from "./python.js";
import { Callable, JinjaProblem, Namespace, Scope, Undefined, type Arguments } from "./runtime.js";
import { child, childrenOf, optionalChild, type JinjaNode } from "./syntax.js";

/** Ansible's finalize: None prints as nothing. */
export function output(value: unknown): string {
  return value === null ? "" : pyStr(value);
}

export class Statements {
  readonly expressions: Expressions;
  constructor(private readonly library: Library) {
    this.expressions = new Expressions(library);
  }

  render(node: JinjaNode, scope: Scope): string {
    let out = "";
    for (const statement of childrenOf(node)) out += this.statement(statement, scope);
    return out;
  }

  private statement(node: JinjaNode, scope: Scope): string {
    switch (node.typename) {
      case "Output":
        return childrenOf(node).map((part) => (part.typename === "TemplateData" ? String(part.value) : output(this.expressions.value(part, scope)))).join("");
      case "If":
        return this.ifStatement(node, scope);
      case "For":
        return this.forStatement(node, scope);
      case "Set":
        this.setStatement(node, scope);
        return "";
      case "Macro":
        scope.set(String(child(node, "name").value), this.macro(node, scope));
        return "";
      case "Include":
        return this.include(node, scope);
      case "NodeList":
        return this.render(node, scope);
      default:
        throw new JinjaProblem(`'{% ${node.typename.toLowerCase()} %}' is not supported`, node, "supported: if, for, set, macro, include, raw");
    }
  }

  private ifStatement(node: JinjaNode, scope: Scope): string {
    if (this.expressions.truthy(child(node, "cond"), scope)) return this.render(child(node, "body"), scope);
    const otherwise = optionalChild(node, "else_");
    if (otherwise === undefined) return "";
    return otherwise.typename === "If" ? this.ifStatement(otherwise, scope) : this.render(otherwise, scope);
  }

  private forStatement(node: JinjaNode, scope: Scope): string {
    const items = iterable(this.expressions.value(child(node, "arr"), scope), node);
    const otherwise = optionalChild(node, "else_");
    if (items.length === 0) return otherwise === undefined ? "" : this.render(otherwise, scope);
    const target = child(node, "name");
    let out = "";
    items.forEach((item, index) => {
      const inner = scope.child();
      bindTarget(inner, target, item);
      inner.set("loop", loopObject(items, index));
      out += this.render(child(node, "body"), inner);
    });
    return out;
  }

  private setStatement(node: JinjaNode, scope: Scope): void {
    const targets = node["targets"] as readonly JinjaNode[];
    const valueNode = optionalChild(node, "value");
    const body = optionalChild(node, "body");
    const value = valueNode !== undefined ? this.expressions.value(valueNode, scope) : this.render(child(body as JinjaNode, "body"), scope);
    for (const target of targets) {
      if (target.typename === "Symbol") {
        scope.set(String(target.value), value);
        continue;
      }
      const namespace = this.expressions.value(child(target, "target"), scope);
      if (!(namespace instanceof Namespace)) throw new JinjaProblem("only a namespace() may have attributes set", target, "{% set ns = namespace(total=0) %}{% set ns.total = 1 %}");
      namespace.attributes[String(child(target, "val").value)] = value;
    }
  }

  private macro(node: JinjaNode, scope: Scope): Callable {
    const params = childrenOf(child(node, "args"));
    const name = String(child(node, "name").value);
    return new Callable(name, (args: Arguments) => {
      const inner = scope.child();
      let index = 0;
      for (const param of params) {
        if (param.typename === "KeywordArgs") {
          for (const pair of childrenOf(param)) {
            const key = String(child(pair, "key").value);
            const given = Object.hasOwn(args.keywords, key) ? args.keywords[key] : args.positional[index];
            inner.set(key, given !== undefined ? given : this.expressions.value(child(pair, "value"), scope));
            index++;
          }
          continue;
        }
        const key = String(param.value);
        inner.set(key, Object.hasOwn(args.keywords, key) ? args.keywords[key] : (args.positional[index] ?? null));
        index++;
      }
      inner.set("varargs", args.positional.slice(index));
      inner.set("kwargs", args.keywords);
      return this.render(child(node, "body"), inner);
    });
  }

  private include(node: JinjaNode, scope: Scope): string {
    const name = pyStr(this.expressions.value(child(node, "template"), scope));
    return this.library.include(name, scope, node);
  }
}

function iterable(value: unknown, node: JinjaNode): readonly unknown[] {
  if (Array.isArray(value)) return value;
  if (typeof value === "string") return [...value];
  if (isPlainObject(value)) return Object.keys(value);
  throw new JinjaProblem(`cannot loop over a ${pyStr(value === null ? "None" : typeof value)}`, node, "loop over a list, a dict (its keys) or dict.items()");
}

function bindTarget(scope: Scope, target: JinjaNode, item: unknown): void {
  if (target.typename === "Symbol") {
    scope.set(String(target.value), item);
    return;
  }
  const names = childrenOf(target);
  const values = Array.isArray(item) ? item : [];
  if (values.length !== names.length) throw new JinjaProblem(`cannot unpack ${pyStr(item)} into ${names.length} names`, target);
  names.forEach((name, i) => scope.set(String(name.value), values[i]));
}

function loopObject(items: readonly unknown[], index: number): Record<string, unknown> {
  const length = items.length;
  // Object.assign, not `{ ...loopPosition(), depth... }`: on Node 20 that literal took ~12 µs per
  // item (a slow path of V8's object spread), 5.7 s of a 400-host run whose template loops over every host
  const loop: Record<string, unknown> = {};
  return Object.assign(loop, loopPosition(length, index), {
    depth: 1,
    depth0: 0,
    previtem: index > 0 ? items[index - 1] : new Undefined("'loop.previtem'"),
    nextitem: index < length - 1 ? items[index + 1] : new Undefined("'loop.nextitem'"),
    cycle: new Callable("cycle", (args) => args.positional[index % Math.max(1, args.positional.length)] ?? null),
  });
}

