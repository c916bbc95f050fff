/**
 * Strict where it matters, lenient where Ansible users expect it.
 *
 * Handlebars' own `strict` option throws on `{{#if optional}}` paths with a missing parent (a
 * TypeError, not even a located error), and `assumeObjects` does not cover output at all. So
 * templates compile non-strict and this pass rewrites the parsed tree instead:
 *
 *   {{ name }}              ->  {{ __out name "name" <offset> }}        (throws when undefined)
 *   {{ helper a b }}        ->  {{ helper (__need a "a" <offset>) ... }}  for helpers not in LENIENT_HELPERS
 *   {{ helper ... }}        ->  {{ __text (helper ...) }}   (lists and dicts print as JSON, as plain output does)
 *
 * `if`, `unless`, `with` and `default` see undefined values as undefined and decide themselves.
 * <offset> is the path's offset in the compiled text, so the error can name its line and column.
 */
import { LENIENT_HELPERS } from "./helpers.js";

type AstNode = hbs.AST.Node;
type Path = hbs.AST.PathExpression;
type Call = hbs.AST.MustacheStatement | hbs.AST.BlockStatement | hbs.AST.SubExpression;

export const OUTPUT_HELPER = "__out";
export const NEED_HELPER = "__need";
export const TEXT_HELPER = "__text";

/** Rewrites `program` (parsed from `text`) in place; `offsetOf` turns a loc into an offset of `text`. */
export function enforceDefined(program: hbs.AST.Program, text: string, offsetOf: (position: hbs.AST.Position) => number): void {
  // The path as written ("a.[b-c]"), not Handlebars' normalised `original` ("a.b-c").
  const written = (path: Path): string => text.slice(offsetOf(path.loc.start), offsetOf(path.loc.end)) || path.original;
  const visitProgram = (node: hbs.AST.Program | null | undefined): void => {
    for (const statement of node?.body ?? []) visitStatement(statement);
  };
  const guard = (path: Path, helper: string): hbs.AST.SubExpression => ({
    type: "SubExpression",
    loc: path.loc,
    path: helperPath(helper, path.loc),
    params: [path, stringLiteral(written(path), path.loc), numberLiteral(offsetOf(path.loc.start), path.loc)],
    hash: emptyHash(path.loc),
  });
  const visitCall = (call: Call): void => {
    const name = call.path.type === "PathExpression" ? (call.path as Path).original : "";
    const lenient = LENIENT_HELPERS.has(name);
    call.params = call.params.map((param) => {
      if (param.type === "SubExpression") visitCall(param as hbs.AST.SubExpression);
      return !lenient && param.type === "PathExpression" ? guard(param as Path, NEED_HELPER) : param;
    });
  };
  const visitStatement = (statement: AstNode): void => {
    if (statement.type === "MustacheStatement") {
      const mustache = statement as hbs.AST.MustacheStatement;
      if (isPlainOutput(mustache)) {
        const guarded = guard(mustache.path as Path, OUTPUT_HELPER);
        mustache.path = guarded.path;
        mustache.params = guarded.params;
      } else if (mustache.path.type === "PathExpression") {
        visitCall(mustache);
        const call: hbs.AST.SubExpression = { type: "SubExpression", loc: mustache.loc, path: mustache.path as Path, params: mustache.params, hash: mustache.hash };
        mustache.path = helperPath(TEXT_HELPER, mustache.loc);
        mustache.params = [call];
        mustache.hash = emptyHash(mustache.loc);
      }
    } else if (statement.type === "BlockStatement") {
      const block = statement as hbs.AST.BlockStatement;
      visitCall(block);
      visitProgram(block.program);
      visitProgram(block.inverse);
    }
  };
  visitProgram(program);
}

/**
 * `{{ name }}` or `{{ a.b }}`: a value to print. Without arguments it is always a variable, even
 * when a helper has the same name: `count`, `network` or `prefix` are common variable names.
 */
function isPlainOutput(mustache: hbs.AST.MustacheStatement): boolean {
  return mustache.path.type === "PathExpression" && mustache.params.length === 0 && (mustache.hash?.pairs.length ?? 0) === 0;
}

function helperPath(name: string, loc: hbs.AST.SourceLocation): Path {
  return { type: "PathExpression", data: false, depth: 0, parts: [name], original: name, loc };
}

function stringLiteral(value: string, loc: hbs.AST.SourceLocation): hbs.AST.StringLiteral {
  return { type: "StringLiteral", value, original: value, loc };
}

function numberLiteral(value: number, loc: hbs.AST.SourceLocation): hbs.AST.NumberLiteral {
  return { type: "NumberLiteral", value, original: value, loc };
}

function emptyHash(loc: hbs.AST.SourceLocation): hbs.AST.Hash {
  return { type: "Hash", pairs: [], loc };
}
