/**
 * The safe expression language for `when:`, `changed_when:`, `failed_when:` and `until:`.
 * Expressions are parsed once (cached by text) into a checked tree and walked here: no eval,
 * no Function, no access to anything but own properties of the variables given.
 */
import { ParseError, type SourceLocation } from "../errors.js";
import type { BinaryOperator, Expr } from "./expression-ast.js";
import { ExpressionSyntaxError, parseExpression } from "./expression-parser.js";
import { defaultFilter, FILTERS } from "./filters.js";
import { offsetLocation } from "./location.js";
import { isPlainObject, isTruthy, ownProperty, typeName, valuesEqual, ValueProblem } from "./values.js";

type Vars = Readonly<Record<string, unknown>>;

/** What a name or key that does not exist evaluates to; only tests and default() may look at it. */
class Missing {
  constructor(
    readonly path: string,
    readonly at: number,
  ) {}
}

/** Parsed trees, or the syntax error, by expression text: conditions are evaluated per host and per loop item. */
const cache = new Map<string, Expr | ExpressionSyntaxError>();

function parsed(text: string): Expr | ExpressionSyntaxError {
  let entry = cache.get(text);
  if (entry === undefined) {
    try {
      entry = parseExpression(text);
    } catch (error) {
      if (!(error instanceof ExpressionSyntaxError)) throw error;
      entry = error;
    }
    cache.set(text, entry);
  }
  return entry;
}

/** `"{{ x }}"` as a condition: Ansible warns and evaluates the inside; so do we. Returns the inside and its offset. */
function stripBraces(text: string): { body: string; offset: number } {
  const match = /^(\s*\{\{)(.*)\}\}\s*$/s.exec(text);
  if (!match || match[2] === undefined || match[2].includes("{{")) return { body: text, offset: 0 };
  return { body: match[2], offset: match[1]?.length ?? 0 };
}

/** Whether `text` (with or without its surrounding "{{ }}") is an expression of the condition language. */
export function isExpression(text: string): boolean {
  return !(parsed(stripBraces(text).body) instanceof ExpressionSyntaxError);
}

/** Evaluates an expression to its value; throws ParseError (located in the file) on bad syntax or undefined variables. */
export function evaluateExpression(expr: string, vars: Vars, where: SourceLocation): unknown {
  const { body, offset } = stripBraces(expr);
  const locate = (at: number): SourceLocation => offsetLocation(where, expr, offset + at);
  const tree = parsed(body);
  if (tree instanceof ExpressionSyntaxError) {
    throw new ParseError(`${tree.message} in '${body.trim()}'`, { location: locate(tree.offset), hint: tree.hint });
  }
  return new Evaluator(vars, locate).value(tree);
}

/** Evaluates a condition with Python truthiness ("", 0, [], {}, none and false are false). Booleans pass through. */
export function evaluateCondition(expr: string | boolean, vars: Vars, where: SourceLocation): boolean {
  if (typeof expr === "boolean") return expr;
  return isTruthy(evaluateExpression(expr, vars, where));
}

function present(value: unknown): unknown {
  return value instanceof Missing ? undefined : value;
}

class Evaluator {
  constructor(
    private readonly vars: Vars,
    private readonly locate: (at: number) => SourceLocation,
  ) {}

  /** Evaluates to a value or Missing; `need` turns Missing into the "is undefined" error. */
  evaluate(node: Expr): unknown {
    switch (node.kind) {
      case "literal":
        return node.value;
      case "list":
        return node.items.map((item) => this.value(item));
      case "dict":
        return this.dict(node.entries);
      case "name": {
        const found = ownProperty(this.vars, node.name);
        return found.found ? found.value : new Missing(node.name, node.at);
      }
      case "member":
        return this.member(node.object, node.key);
      case "not":
        return !isTruthy(this.value(node.operand));
      case "negate":
        return -this.number(node.operand, "-");
      case "logical":
        return this.logical(node.op, node.left, node.right);
      case "binary":
        return this.binary(node.op, node.left, node.right, node.at);
      case "test":
        return this.test(node.subject, node.test, node.at) !== node.negated;
      case "filter":
        return this.filter(node.subject, node.name, node.args, node.at);
      case "conditional":
        if (isTruthy(this.value(node.test))) return this.evaluate(node.then);
        return node.otherwise === undefined ? null : this.evaluate(node.otherwise);
    }
  }

  /** The value of a node that must exist. */
  value(node: Expr): unknown {
    const result = this.evaluate(node);
    if (result instanceof Missing) {
      throw new ParseError(`'${result.path}' is undefined`, {
        location: this.locate(result.at),
        hint: "define it (vars, inventory, register), or guard with 'is defined' or '| default(...)'",
      });
    }
    return result;
  }

  private fail(message: string, at: number, hint?: string): ParseError {
    return new ParseError(message, { location: this.locate(at), hint });
  }

  private dict(entries: readonly (readonly [Expr, Expr])[]): Record<string, unknown> {
    // fromEntries defines own properties, so even a "__proto__" key stays plain data.
    return Object.fromEntries(
      entries.map(([keyNode, valueNode]) => {
        const key = this.value(keyNode);
        if (typeof key !== "string" && typeof key !== "number") throw this.fail("dict keys must be strings or numbers", keyNode.at);
        return [String(key), this.value(valueNode)];
      }),
    );
  }

  private member(objectNode: Expr, keyNode: Expr): unknown {
    const object = this.evaluate(objectNode);
    const key = this.value(keyNode);
    if (typeof key !== "string" && typeof key !== "number") {
      throw this.fail(`a key must be a string or a number, not a ${typeName(key)}`, keyNode.at);
    }
    const path = `${object instanceof Missing ? object.path : describe(objectNode)}.${key}`;
    if (object instanceof Missing) return new Missing(path, object.at);
    const found = ownProperty(object, key);
    return found.found ? found.value : new Missing(path, objectNode.at);
  }

  private logical(op: "and" | "or", left: Expr, right: Expr): unknown {
    const first = this.value(left);
    if (op === "and") return isTruthy(first) ? this.value(right) : first;
    return isTruthy(first) ? first : this.value(right);
  }

  private number(node: Expr, op: string): number {
    const value = this.value(node);
    if (typeof value !== "number") throw this.fail(`'${op}' needs a number, got a ${typeName(value)}`, node.at, "convert with '| int'");
    return value;
  }

  private binary(op: BinaryOperator, leftNode: Expr, rightNode: Expr, at: number): unknown {
    const left = this.value(leftNode);
    const right = this.value(rightNode);
    switch (op) {
      case "==":
        return valuesEqual(left, right);
      case "!=":
        return !valuesEqual(left, right);
      case "in":
        return contains(right, left, () => this.fail(`'in' needs a list, string or dict on the right, got a ${typeName(right)}`, at));
      case "not in":
        return !contains(right, left, () => this.fail(`'not in' needs a list, string or dict on the right, got a ${typeName(right)}`, at));
      case "<":
      case "<=":
      case ">":
      case ">=":
        return compare(op, left, right, () => this.fail(`cannot compare a ${typeName(left)} with a ${typeName(right)}`, at, "convert with '| int' first"));
      case "+":
        if (typeof left === "string" && typeof right === "string") return left + right;
        if (Array.isArray(left) && Array.isArray(right)) return [...left, ...right];
        return this.number(leftNode, op) + this.number(rightNode, op);
      case "-":
        return this.number(leftNode, op) - this.number(rightNode, op);
      case "*":
        return this.number(leftNode, op) * this.number(rightNode, op);
      case "/":
        return this.number(leftNode, op) / this.number(rightNode, op);
      case "%":
        return this.number(leftNode, op) % this.number(rightNode, op);
    }
  }

  private test(subjectNode: Expr, test: string, at: number): boolean {
    const subject = this.evaluate(subjectNode);
    if (test === "defined") return !(subject instanceof Missing);
    if (test === "undefined") return subject instanceof Missing;
    const value = this.value(subjectNode);
    switch (test) {
      case "none":
        return value === null || value === undefined;
      case "succeeded":
      case "success":
        return !this.resultFlag(value, "failed", at);
      case "failed":
      case "failure":
        return this.resultFlag(value, "failed", at);
      case "changed":
      case "change":
        return this.resultFlag(value, "changed", at);
      case "skipped":
      case "skip":
        return this.resultFlag(value, "skipped", at);
      case "string":
        return typeof value === "string";
      case "number":
        return typeof value === "number";
      case "boolean":
        return typeof value === "boolean";
      case "true":
        return value === true;
      case "false":
        return value === false;
      case "mapping":
        return isPlainObject(value);
      case "sequence":
      case "iterable":
        return Array.isArray(value) || typeof value === "string";
      default:
        throw this.fail(`unknown test '${test}'`, at);
    }
  }

  /** `r is failed` and friends look at a registered result's flag. */
  private resultFlag(value: unknown, flag: "failed" | "changed" | "skipped", at: number): boolean {
    if (!isPlainObject(value)) {
      throw this.fail(`'is ${flag}' needs a registered result, got a ${typeName(value)}`, at, "register: the task's result first");
    }
    return isTruthy(ownProperty(value, flag).value);
  }

  private filter(subjectNode: Expr, name: string, argNodes: readonly Expr[], at: number): unknown {
    const args = argNodes.map((arg) => this.value(arg));
    if (name === "default" || name === "d") return defaultFilter(present(this.evaluate(subjectNode)), ...args);
    const filter = FILTERS[name];
    if (filter === undefined) throw this.fail(`unknown filter '${name}'`, at);
    try {
      return filter(this.value(subjectNode), ...args);
    } catch (error) {
      if (error instanceof ValueProblem) throw this.fail(`${name}: ${error.message}`, at, error.hint);
      throw error;
    }
  }
}

/** A readable name for the left side of a member access in error messages. */
function describe(node: Expr): string {
  if (node.kind === "name") return node.name;
  if (node.kind === "member" && node.key.kind === "literal") return `${describe(node.object)}.${String(node.key.value)}`;
  return "(value)";
}

function contains(container: unknown, item: unknown, bad: () => ParseError): boolean {
  if (Array.isArray(container)) return container.some((element) => valuesEqual(element, item));
  if (typeof container === "string") {
    if (typeof item !== "string") throw bad();
    return container.includes(item);
  }
  if (isPlainObject(container)) return (typeof item === "string" || typeof item === "number") && Object.hasOwn(container, item);
  throw bad();
}

function compare(op: "<" | "<=" | ">" | ">=", left: unknown, right: unknown, bad: () => ParseError): boolean {
  const comparable = (typeof left === "number" && typeof right === "number") || (typeof left === "string" && typeof right === "string");
  if (!comparable) throw bad();
  const a = left as number | string;
  const b = right as number | string;
  if (op === "<") return a < b;
  if (op === "<=") return a <= b;
  if (op === ">") return a > b;
  return a >= b;
}
