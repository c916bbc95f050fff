/**
 * Evaluates Jinja2 expressions (nunjucks' tree) with Python's semantics: no eval, no JavaScript
 * operators on data, only own properties of the variables, Python methods by name.
 */
import { didYouMean } from "../../errors.js";
import { isTruthy, ownProperty, ValueProblem } from "../values.js";
import type { Library } from "./library.js";
import { methodOf } from "./methods.js";
import { pyAdd, pyArithmetic, pyCompare, pyContains, pyEqual, pyStr, pyType, tuple } from "./python.js";
import { type Arguments, Callable, defined, JinjaProblem, Namespace, Scope, Undefined } from "./runtime.js";
import { child, childrenOf, optionalChild, type JinjaNode } from "./syntax.js";

const LITERAL_NAMES: Readonly<Record<string, unknown>> = { None: null, none: null, True: true, true: true, False: false, false: false };
const ARITHMETIC: Readonly<Record<string, "-" | "*" | "/" | "//" | "%" | "**">> = { Sub: "-", Mul: "*", Div: "/", FloorDiv: "//", Mod: "%", Pow: "**" };

export class Expressions {
  constructor(readonly library: Library) {}

  /** The value of a node that must exist. */
  value(node: JinjaNode, scope: Scope): unknown {
    return defined(this.evaluate(node, scope), node);
  }

  /** A value, or Undefined for a missing name or key (tests and default() decide what that means). */
  evaluate(node: JinjaNode, scope: Scope): unknown {
    try {
      return this.dispatch(node, scope);
    } catch (error) {
      if (error instanceof ValueProblem) throw new JinjaProblem(error.message, node, error.hint);
      throw error;
    }
  }

  private dispatch(node: JinjaNode, scope: Scope): unknown {
    switch (node.typename) {
      case "Literal":
        return node.value;
      case "Symbol":
        return this.symbol(node, scope);
      case "Group":
        return node.children?.length === 1 ? this.evaluate(childrenOf(node)[0] as JinjaNode, scope) : tuple(childrenOf(node).map((item) => this.value(item, scope)));
      case "Array":
        return childrenOf(node).map((item) => this.value(item, scope));
      case "Dict":
        return Object.fromEntries(childrenOf(node).map((pair) => [pyStr(this.value(child(pair, "key"), scope)), this.value(child(pair, "value"), scope)]));
      case "LookupVal":
        return this.member(node, scope);
      case "FunCall":
        return this.call(node, scope);
      case "Filter":
        return this.filter(node, scope);
      case "Is":
        return this.test(node, scope);
      case "Not":
        return !this.truthy(child(node, "target"), scope);
      case "And":
        return this.truthy(child(node, "left"), scope) ? this.value(child(node, "right"), scope) : this.value(child(node, "left"), scope);
      case "Or":
        return this.logicalOr(node, scope);
      case "In":
        return pyContains(this.value(child(node, "right"), scope), this.value(child(node, "left"), scope));
      case "Compare":
        return this.compare(node, scope);
      case "Add":
        return pyAdd(this.value(child(node, "left"), scope), this.value(child(node, "right"), scope));
      case "Concat":
        return pyStr(this.value(child(node, "left"), scope)) + pyStr(this.value(child(node, "right"), scope));
      case "Neg":
      case "Pos":
        return this.sign(node, scope);
      case "InlineIf":
        return this.inlineIf(node, scope);
      default: {
        const op = ARITHMETIC[node.typename];
        if (op !== undefined) return pyArithmetic(op, this.value(child(node, "left"), scope), this.value(child(node, "right"), scope));
        throw new JinjaProblem(`'${node.typename}' is not supported in expressions`, node);
      }
    }
  }

  truthy(node: JinjaNode, scope: Scope): boolean {
    return isTruthy(this.value(node, scope));
  }

  private logicalOr(node: JinjaNode, scope: Scope): unknown {
    const left = this.value(child(node, "left"), scope);
    return isTruthy(left) ? left : this.value(child(node, "right"), scope);
  }

  private sign(node: JinjaNode, scope: Scope): number {
    const value = this.value(child(node, "target"), scope);
    if (typeof value !== "number") throw new JinjaProblem(`bad operand type for unary ${node.typename === "Neg" ? "-" : "+"}: '${pyType(value)}'`, node);
    return node.typename === "Neg" ? -value : value;
  }

  private inlineIf(node: JinjaNode, scope: Scope): unknown {
    if (this.truthy(child(node, "cond"), scope)) return this.evaluate(child(node, "body"), scope);
    const otherwise = optionalChild(node, "else_");
    // Jinja2 gives an undefined value that prints as nothing; None does the same here.
    return otherwise === undefined ? null : this.evaluate(otherwise, scope);
  }

  private symbol(node: JinjaNode, scope: Scope): unknown {
    const name = String(node.value);
    const found = scope.lookup(name);
    if (found.found) return found.value;
    if (Object.hasOwn(LITERAL_NAMES, name)) return LITERAL_NAMES[name];
    return Object.hasOwn(this.library.globals, name) ? this.library.globals[name] : new Undefined(`'${name}'`, node);
  }

  private member(node: JinjaNode, scope: Scope): unknown {
    const targetNode = child(node, "target");
    const target = this.evaluate(targetNode, scope);
    // Ansible's undefined answers attribute access with itself: `a.b | default(x)` works without `a`.
    if (target instanceof Undefined) return target;
    const keyNode = child(node, "val");
    if (keyNode.typename === "Slice") return this.slice(target, keyNode, scope);
    const item = getItem(target, this.value(keyNode, scope), () => describe(targetNode));
    return item instanceof Undefined ? new Undefined(item.description, leftmost(node)) : item;
  }

  private slice(target: unknown, node: JinjaNode, scope: Scope): unknown {
    if (typeof target !== "string" && !Array.isArray(target)) throw new JinjaProblem(`'${pyType(target)}' object is not subscriptable`, node);
    const bound = (field: string): number | undefined => {
      const value = this.value(child(node, field), scope);
      return value === null ? undefined : Number(value);
    };
    const items = typeof target === "string" ? [...target] : target;
    const step = bound("step") ?? 1;
    const length = items.length;
    const clamp = (index: number, fallback: number): number => (index < 0 ? Math.max(length + index, step < 0 ? -1 : 0) : Math.min(index, step < 0 ? length - 1 : length)) ?? fallback;
    const start = bound("start");
    const stop = bound("stop");
    const from = start === undefined ? (step < 0 ? length - 1 : 0) : clamp(start, 0);
    const to = stop === undefined ? (step < 0 ? -1 : length) : clamp(stop, length);
    const out: unknown[] = [];
    for (let i = from; step > 0 ? i < to : i > to; i += step) out.push(items[i]);
    return typeof target === "string" ? out.join("") : out;
  }

  /** Positional arguments and keyword arguments (nunjucks puts keywords last, as one KeywordArgs node). */
  argumentsOf(nodes: readonly JinjaNode[], scope: Scope): { positional: unknown[]; keywords: Record<string, unknown> } {
    const positional: unknown[] = [];
    const keywords: Record<string, unknown> = {};
    for (const node of nodes) {
      if (node.typename !== "KeywordArgs") {
        positional.push(this.value(node, scope));
        continue;
      }
      for (const pair of childrenOf(node)) keywords[String(child(pair, "key").value)] = this.value(child(pair, "value"), scope);
    }
    return { positional, keywords };
  }

  private call(node: JinjaNode, scope: Scope): unknown {
    const callee = this.value(child(node, "name"), scope);
    const args = this.argumentsOf(childrenOf(child(node, "args")), scope);
    if (!(callee instanceof Callable)) throw new JinjaProblem(`'${describe(child(node, "name"))}' (a ${pyType(callee)}) is not callable`, node);
    return callee.call(args);
  }

  private filter(node: JinjaNode, scope: Scope): unknown {
    const written = String(child(node, "name").value);
    const name = written.replace(/^(ansible\.(builtin|utils|netcommon)|community\.general)\./, "");
    const [subjectNode, ...argNodes] = childrenOf(child(node, "args"));
    const filter = Object.hasOwn(this.library.filters, name) ? this.library.filters[name] : undefined;
    if (filter === undefined) {
      throw new JinjaProblem(`unknown filter '${written}'`, child(node, "name"), didYouMean(name, Object.keys(this.library.filters)) ?? "see the filters in docs/templates.md");
    }
    const subject = subjectNode === undefined ? null : this.evaluate(subjectNode, scope);
    const value = this.library.lenientFilters.has(name) ? subject : defined(subject, subjectNode);
    const args = this.argumentsOf(argNodes, scope);
    try {
      return filter(value, args);
    } catch (error) {
      if (error instanceof ValueProblem) throw new JinjaProblem(`${written}: ${error.message}`, child(node, "name"), error.hint);
      throw error;
    }
  }

  private test(node: JinjaNode, scope: Scope): boolean {
    const right = child(node, "right");
    const { name, args } = this.testCall(right, scope);
    const test = Object.hasOwn(this.library.tests, name) ? this.library.tests[name] : undefined;
    if (test === undefined) throw new JinjaProblem(`unknown test '${name}'`, right, didYouMean(name, Object.keys(this.library.tests)));
    const subjectNode = child(node, "left");
    const subject = this.evaluate(subjectNode, scope);
    return test(this.library.lenientTests.has(name) ? subject : defined(subject, subjectNode), args);
  }

  private testCall(node: JinjaNode, scope: Scope): { name: string; args: Arguments } {
    const none = { positional: [], keywords: {} };
    if (node.typename === "Literal") return { name: node.value === null ? "none" : String(node.value).toLowerCase(), args: none };
    if (node.typename === "Symbol") return { name: String(node.value), args: none };
    if (node.typename === "FunCall") {
      return { name: String(child(node, "name").value), args: this.argumentsOf(childrenOf(child(node, "args")), scope) };
    }
    throw new JinjaProblem("expected a test name after 'is'", node, "e.g. x is defined, x is version('1.2', '>=')");
  }

  private compare(node: JinjaNode, scope: Scope): boolean {
    let left = this.value(child(node, "expr"), scope);
    for (const operand of childrenOf({ ...node, children: node["ops"] as JinjaNode[] })) {
      const op = String(operand["type"]);
      if (op === "===" || op === "!==") throw new JinjaProblem(`'${op}' is JavaScript, not Jinja`, operand, `write '${op.slice(0, 2)}'`);
      const right = this.value(child(operand, "expr"), scope);
      if (!compareOnce(String(operand["type"]), left, right)) return false;
      left = right;
    }
    return true;
  }
}

function compareOnce(op: string, left: unknown, right: unknown): boolean {
  if (op === "==") return pyEqual(left, right);
  if (op === "!=") return !pyEqual(left, right);
  const order = pyCompare(op, left, right);
  if (op === "<") return order < 0;
  if (op === "<=") return order <= 0;
  if (op === ">") return order > 0;
  return order >= 0;
}

/** The start of `a.b.c`: errors about a missing key point at the variable's name, as people read it. */
function leftmost(node: JinjaNode): JinjaNode {
  return node.typename === "LookupVal" ? leftmost(child(node, "target")) : node;
}

/** A readable name for the object of a member access, for error messages. */
export function describe(node: JinjaNode): string {
  if (node.typename === "Symbol") return String(node.value);
  if (node.typename === "LookupVal") {
    const key = child(node, "val");
    const base = describe(child(node, "target"));
    if (key.typename !== "Literal") return `${base}[...]`;
    return typeof key.value === "string" && /^[A-Za-z_]\w*$/.test(key.value) ? `${base}.${key.value}` : `${base}[${JSON.stringify(key.value)}]`;
  }
  return "value";
}

/**
 * Jinja's getattr/getitem on data: own keys and list indexes, then Python methods by name (a key
 * named like a method wins, for `a.b` too: nunjucks' tree does not tell `a.b` from `a['b']`).
 */
export function getItem(target: unknown, key: unknown, describeTarget: () => string): unknown {
  if (target instanceof Namespace) return Object.hasOwn(target.attributes, String(key)) ? target.attributes[String(key)] : new Undefined(`'${describeTarget()}.${String(key)}'`);
  if (typeof key === "string" || typeof key === "number") {
    const found = ownProperty(target, key);
    if (found.found) return found.value;
  }
  const method = typeof key === "string" ? methodOf(target, key) : undefined;
  if (method !== undefined) return method;
  return new Undefined(`'${describeTarget()}${typeof key === "number" ? `[${key}]` : `.${pyStr(key)}`}'`);
}
