/**
 * Parses Ansible/Jinja conditions with jsep into our own checked tree (expression-ast.ts).
 *
 * jsep is configured once, here, for Jinja's operators: `and`, `or`, `in`, `not in`, `is`,
 * `is not`, `x if c else y`, and `|` for filters (binding tighter than anything else, as in
 * Jinja). jsep's unary operators bind to a single token, which is wrong for `not` (Jinja reads
 * `not a == b` as `not (a == b)`), so `not` is parsed by a hook below. Another hook records
 * where each token starts so errors can name a column. Nothing here evaluates anything.
 */
import jsep from "jsep";
import { didYouMean } from "../errors.js";
import { FORBIDDEN_NAMES, type BinaryOperator, type Expr } from "./expression-ast.js";
import { FILTERS } from "./filters.js";

/** A syntax problem at an offset of the expression text; the caller turns it into a located ParseError. */
export class ExpressionSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
    readonly hint: string,
  ) {
    super(message);
    this.name = "ExpressionSyntaxError";
  }
}

export const TESTS: ReadonlySet<string> = new Set([
  "defined", "undefined", "none", "succeeded", "success", "failed", "failure", "changed", "change",
  "skipped", "skip", "string", "number", "mapping", "sequence", "iterable", "boolean", "true", "false",
]);

const SYNTAX_HINT = "conditions use Jinja syntax: and, or, not, ==, !=, <, in, not in, is defined, value | default(x)";
const NOT_PRECEDENCE = 2; // between `and` (2) and comparisons (6): `not` takes everything tighter than `and`

type JsepNode = jsep.Expression & { start?: number; end?: number };
type Scope = Omit<jsep.HookScope, "gobbleBinaryOp"> & { gobbleBinaryOp(): string | false };

const isIdentifierPart = (code: number): boolean => /[\w$]/.test(String.fromCharCode(code));
const isDigit = (code: number): boolean => code >= 48 && code <= 57;
/** The current character, read through a call so TypeScript does not narrow it across index moves. */
const current = (scope: Scope): string => scope.char;

configureJsep();

function configureJsep(): void {
  jsep.addBinaryOp("or", 1);
  jsep.addBinaryOp("and", 2);
  jsep.addBinaryOp("in", 6);
  jsep.addBinaryOp("not in", 6);
  jsep.addBinaryOp("is", 12);
  jsep.addBinaryOp("is not", 12);
  jsep.removeBinaryOp("|");
  jsep.addBinaryOp("|", 20);
  jsep.addBinaryOp("if", 0.5);
  jsep.addBinaryOp("else", 0.25, true);
  for (const [name, value] of [["True", true], ["False", false], ["None", null], ["none", null]] as const) {
    jsep.addLiteral(name, value);
  }
  jsep.hooks.add("gobble-token", function (this: jsep.HookScope, env: { node?: jsep.Expression }) {
    const scope = this as unknown as Scope;
    tokenStarts.push(scope.index);
    env.node = gobbleNot(scope) ?? gobbleNumber(scope) ?? gobbleDict(scope);
  });
  jsep.hooks.add("after-token", function (this: jsep.HookScope, env: { node?: jsep.Expression | false }) {
    const start = tokenStarts.pop();
    if (env.node && start !== undefined) Object.assign(env.node, { start, end: this.index });
  });
}

const tokenStarts: number[] = [];

function isKeywordAt(scope: Scope, word: string): boolean {
  const after = scope.expr.charCodeAt(scope.index + word.length);
  return scope.expr.startsWith(word, scope.index) && !(after >= 0 && isIdentifierPart(after));
}

/** `not x`: everything up to the next `and`/`or`/`if`/`else` is the operand. */
function gobbleNot(scope: Scope): jsep.Expression | undefined {
  if (!isKeywordAt(scope, "not")) return undefined;
  scope.index += 3;
  return { type: "UnaryExpression", operator: "not", argument: gobbleAbove(scope, NOT_PRECEDENCE), prefix: true };
}

/** Precedence climbing over jsep's tokens and operators, for operators tighter than `minPrecedence`. */
function gobbleAbove(scope: Scope, minPrecedence: number): jsep.Expression {
  let left = scope.gobbleToken();
  if (!left) return scope.throwError("expected an expression");
  for (;;) {
    const save = scope.index;
    const op = scope.gobbleBinaryOp();
    const precedence = op ? (jsep.binary_ops as Record<string, number>)[op] ?? 0 : 0;
    if (!op || precedence <= minPrecedence) {
      scope.index = save;
      return left;
    }
    left = { type: "BinaryExpression", operator: op, left, right: gobbleAbove(scope, precedence) };
  }
}

/** jsep returns numbers without running the after-token hook; parsing them here keeps positions balanced. */
function gobbleNumber(scope: Scope): jsep.Expression | undefined {
  const code = scope.code;
  return isDigit(code) || (code === 46 && isDigit(scope.expr.charCodeAt(scope.index + 1))) ? scope.gobbleNumericLiteral() : undefined;
}

/** `{}` and `{'key': value, ...}`, for `| default({})`. */
function gobbleDict(scope: Scope): jsep.Expression | undefined {
  if (current(scope) !== "{") return undefined;
  scope.index++;
  const entries: jsep.Expression[] = [];
  for (;;) {
    scope.gobbleSpaces();
    if (current(scope) === "}") break;
    const key = scope.gobbleExpression();
    scope.gobbleSpaces();
    if (!key || current(scope) !== ":") return scope.throwError("expected 'key: value' in a dict");
    scope.index++;
    const value = scope.gobbleExpression();
    if (!value) return scope.throwError("expected a value after ':'");
    entries.push({ type: "ArrayExpression", elements: [key, value] });
    scope.gobbleSpaces();
    if (current(scope) === ",") scope.index++;
    else if (current(scope) !== "}") return scope.throwError("expected ',' or '}' in a dict");
  }
  scope.index++;
  return { type: "DictExpression", entries };
}

/** Parses and checks `text`; throws ExpressionSyntaxError for anything outside the language. */
export function parseExpression(text: string): Expr {
  tokenStarts.length = 0;
  let root: jsep.Expression;
  try {
    root = jsep(text);
  } catch (error) {
    const { index, description } = error as { index?: number; description?: string };
    if (typeof index !== "number") throw error;
    throw new ExpressionSyntaxError(`invalid expression: ${description ?? String(error)}`, index, SYNTAX_HINT);
  }
  return new Converter(text).convert(root, 0);
}

/** Checks jsep's nodes against what the language allows and builds the Expr tree. */
class Converter {
  constructor(private readonly text: string) {}

  convert(node: JsepNode, anchor: number): Expr {
    const at = typeof node.start === "number" ? node.start : anchor;
    switch (node.type) {
      case "Literal":
        return this.literal(node as jsep.Literal, at);
      case "Identifier":
        return { kind: "name", at, name: this.safeName((node as jsep.Identifier).name, at) };
      case "ArrayExpression":
        return { kind: "list", at, items: this.items((node as jsep.ArrayExpression).elements, at) };
      case "DictExpression":
        return { kind: "dict", at, entries: this.entries(node, at) };
      case "MemberExpression":
        return this.member(node as jsep.MemberExpression, at);
      case "UnaryExpression":
        return this.unary(node as jsep.UnaryExpression, at);
      case "BinaryExpression":
        return this.binary(node as jsep.BinaryExpression, at);
      case "ConditionalExpression": {
        const c = node as jsep.ConditionalExpression;
        const test = this.convert(c.test, at);
        return { kind: "conditional", at: test.at, test, then: this.convert(c.consequent, at), otherwise: this.convert(c.alternate, at) };
      }
      case "CallExpression":
        throw this.fail("function calls are not allowed", at, "filters are written 'value | name(args)', e.g. x | default('y')");
      case "ThisExpression":
        throw this.fail("'this' is not allowed", at, "name the variable directly");
      case "Compound": {
        const body = (node as jsep.Compound).body as JsepNode[];
        if (body.length === 0) throw this.fail("empty expression", 0, "write a condition, e.g. x is defined");
        throw this.fail("missing operator between two values", body[1]?.start ?? at, SYNTAX_HINT);
      }
      default:
        throw this.fail(`unsupported syntax (${node.type})`, at, SYNTAX_HINT);
    }
  }

  private fail(message: string, offset: number, hint: string): ExpressionSyntaxError {
    return new ExpressionSyntaxError(message, offset, hint);
  }

  private safeName(name: string, at: number): string {
    if (FORBIDDEN_NAMES.has(name)) {
      const offset = this.text.indexOf(name, at);
      throw this.fail(`access to '${name}' is not allowed`, offset < 0 ? at : offset, "expressions read variables and their keys only");
    }
    return name;
  }

  private literal(node: jsep.Literal, at: number): Expr {
    const value = node.value;
    if (value instanceof RegExp) throw this.fail("regular expression literals are not supported", at, SYNTAX_HINT);
    return { kind: "literal", at, value };
  }

  private items(elements: readonly (jsep.Expression | null)[], at: number): Expr[] {
    return elements.map((element) => {
      if (element === null) throw this.fail("empty list item", at, "remove the extra ','");
      return this.convert(element, at);
    });
  }

  private entries(node: jsep.Expression, at: number): (readonly [Expr, Expr])[] {
    const pairs = node["entries"] as jsep.ArrayExpression[];
    return pairs.map((pair) => {
      const [key, value] = this.items(pair.elements, at);
      if (key === undefined || value === undefined) throw this.fail("expected 'key: value'", at, SYNTAX_HINT);
      return [key, value] as const;
    });
  }

  private member(node: jsep.MemberExpression, at: number): Expr {
    if (node.optional) throw this.fail("'?.' is not supported", at, "use 'x.y | default(...)' or 'x.y is defined'");
    const object = this.convert(node.object, at);
    if (!node.computed) {
      const name = (node.property as jsep.Identifier).name;
      return { kind: "member", at: object.at, object, key: { kind: "literal", at, value: this.safeName(name, at) } };
    }
    const key = this.convert(node.property, at);
    if (key.kind === "literal" && typeof key.value === "string") this.safeName(key.value, key.at);
    return { kind: "member", at: object.at, object, key };
  }

  private unary(node: jsep.UnaryExpression, at: number): Expr {
    const operand = this.convert(node.argument, at);
    switch (node.operator) {
      case "not":
        return { kind: "not", at, operand };
      case "-":
        return { kind: "negate", at, operand };
      case "+":
        return operand;
      case "!":
        throw this.fail("'!' is not an operator here", at, "write 'not x'");
      default:
        throw this.fail(`operator '${node.operator}' is not supported`, at, SYNTAX_HINT);
    }
  }

  private binary(node: jsep.BinaryExpression, anchor: number): Expr {
    const left = this.convert(node.left, anchor);
    const op = node.operator;
    const opAt = this.operatorOffset(op, node.left as JsepNode, left.at);
    if (op === "|") return this.filter(left, node.right as JsepNode, opAt);
    if (op === "is" || op === "is not") return this.test(left, node.right as JsepNode, op === "is not", opAt);
    if (op === "else") return this.ifElse(node, left, opAt);
    const right = this.convert(node.right, opAt);
    if (op === "if") return { kind: "conditional", at: left.at, test: right, then: left, otherwise: undefined };
    if (op === "and" || op === "or") return { kind: "logical", at: left.at, op, left, right };
    if (isBinaryOperator(op)) return { kind: "binary", at: opAt, op, left, right };
    throw this.fail(`operator '${op}' is not supported`, opAt, JS_OPERATOR_HINTS[op] ?? SYNTAX_HINT);
  }

  private ifElse(node: jsep.BinaryExpression, left: Expr, opAt: number): Expr {
    if (left.kind !== "conditional" || left.otherwise !== undefined || (node.left as JsepNode).operator !== "if") {
      throw this.fail("'else' without 'if'", opAt, "write 'a if condition else b'");
    }
    return { ...left, otherwise: this.convert(node.right, opAt) };
  }

  private filter(subject: Expr, right: JsepNode, opAt: number): Expr {
    const call = right.type === "CallExpression" ? (right as jsep.CallExpression) : undefined;
    const callee = (call ? call.callee : right) as JsepNode;
    const at = callee.start ?? right.start ?? opAt;
    if (callee.type !== "Identifier") throw this.fail("expected a filter name after '|'", at, "e.g. x | default('y')");
    const name = (callee as jsep.Identifier).name;
    if (!Object.hasOwn(FILTERS, name)) {
      throw this.fail(`unknown filter '${name}'`, at, didYouMean(name, Object.keys(FILTERS)) ?? `known filters: ${Object.keys(FILTERS).join(", ")}`);
    }
    const args = (call?.arguments ?? []).map((arg) => this.convert(arg, at));
    return { kind: "filter", at, subject, name, args };
  }

  private test(subject: Expr, right: JsepNode, negated: boolean, opAt: number): Expr {
    let node = right;
    if (node.type === "UnaryExpression" && node.operator === "not") {
      negated = !negated;
      node = (node as jsep.UnaryExpression).argument as JsepNode;
    }
    const at = typeof node.start === "number" ? node.start : opAt;
    if (node.type === "Literal" && (node as jsep.Literal).value === null) return { kind: "test", at, subject, test: "none", negated };
    if (node.type === "Literal" && typeof (node as jsep.Literal).value === "boolean") {
      return { kind: "test", at, subject, test: String((node as jsep.Literal).value), negated };
    }
    if (node.type !== "Identifier") throw this.fail("expected a test name after 'is'", at, "e.g. x is defined, r is failed");
    const name = (node as jsep.Identifier).name;
    if (!TESTS.has(name)) throw this.fail(`unknown test '${name}'`, at, didYouMean(name, TESTS) ?? `known tests: ${[...TESTS].join(", ")}`);
    return { kind: "test", at, subject, test: name, negated };
  }

  /** jsep keeps no position for operators: find the operator's text after its left operand. */
  private operatorOffset(op: string, left: JsepNode, fallback: number): number {
    const from = typeof left.end === "number" ? left.end : fallback;
    const found = this.text.indexOf(op.split(" ")[0] ?? op, from);
    return found < 0 ? fallback : found;
  }
}

const BINARY_OPERATORS: ReadonlySet<string> = new Set(["==", "!=", "<", "<=", ">", ">=", "in", "not in", "+", "-", "*", "/", "%"]);

function isBinaryOperator(op: string): op is BinaryOperator {
  return BINARY_OPERATORS.has(op);
}

const JS_OPERATOR_HINTS: Readonly<Record<string, string>> = {
  "&&": "write 'and'",
  "||": "write 'or'",
  "===": "write '=='",
  "!==": "write '!='",
  "??": "write 'x | default(y)'",
};
