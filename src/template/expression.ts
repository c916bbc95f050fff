/**
 * PLACEHOLDER so the modules branch compiles: the template helper's branch owns this file and
 * its real implementation replaces this one on merge. Do not merge this version over theirs.
 */
import type { SourceLocation } from "../errors.js";

export function evaluateCondition(expr: string | boolean, vars: Readonly<Record<string, unknown>>, where: SourceLocation): boolean {
  void vars;
  void where;
  if (typeof expr === "boolean") return expr;
  throw new Error(`evaluateCondition placeholder: cannot evaluate ${JSON.stringify(expr)} until src/template/expression.ts lands`);
}
