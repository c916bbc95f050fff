/**
 * The safe expression language's own syntax tree: what jsep's output is checked and
 * converted into. Every node keeps `at`, its 0-based offset in the expression text, so
 * evaluation errors can point at the right column.
 */

export type BinaryOperator = "==" | "!=" | "<" | "<=" | ">" | ">=" | "in" | "not in" | "+" | "-" | "*" | "/" | "%";

export type Expr =
  | { readonly kind: "literal"; readonly at: number; readonly value: string | number | boolean | null }
  | { readonly kind: "list"; readonly at: number; readonly items: readonly Expr[] }
  | { readonly kind: "dict"; readonly at: number; readonly entries: readonly (readonly [Expr, Expr])[] }
  | { readonly kind: "name"; readonly at: number; readonly name: string }
  | { readonly kind: "member"; readonly at: number; readonly object: Expr; readonly key: Expr }
  | { readonly kind: "not"; readonly at: number; readonly operand: Expr }
  | { readonly kind: "negate"; readonly at: number; readonly operand: Expr }
  | { readonly kind: "logical"; readonly at: number; readonly op: "and" | "or"; readonly left: Expr; readonly right: Expr }
  | { readonly kind: "binary"; readonly at: number; readonly op: BinaryOperator; readonly left: Expr; readonly right: Expr }
  | { readonly kind: "test"; readonly at: number; readonly subject: Expr; readonly test: string; readonly negated: boolean }
  | { readonly kind: "filter"; readonly at: number; readonly subject: Expr; readonly name: string; readonly args: readonly Expr[] }
  | { readonly kind: "conditional"; readonly at: number; readonly test: Expr; readonly then: Expr; readonly otherwise: Expr | undefined };

/** Property names that would reach JavaScript internals instead of data. */
export const FORBIDDEN_NAMES: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);
