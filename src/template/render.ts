/**
 * Rendering with Handlebars: template files and "{{ var }}" inside task arguments.
 *
 * A private Handlebars instance (never the global one) with runbook's helpers, `noEscape` (we
 * write config files, not HTML), Ansible spellings rewritten first (ansible-syntax.ts) and
 * strict output enforced on the parsed tree (strict-output.ts). Compiled templates are cached by
 * text: the same template is rendered once per host, often hundreds of times.
 */
import Handlebars, { type HelperDelegate, type HelperOptions } from "handlebars";
import { didYouMean, ParseError, type SourceLocation } from "../errors.js";
import { rewriteAnsibleSyntax, TemplateProblem, type Rewritten } from "./ansible-syntax.js";
import { evaluateExpression, isExpression } from "./expression.js";
import { HELPERS } from "./helpers.js";
import { offsetLocation } from "./location.js";
import { enforceDefined, NEED_HELPER, OUTPUT_HELPER, TEXT_HELPER } from "./strict-output.js";
import { toText, ValueProblem } from "./values.js";

type Vars = Readonly<Record<string, unknown>>;

const TEMPLATE_HINT =
  "templates are Handlebars: {{ var }}, {{ a.b }}, {{ helper arg1 arg2 }}, {{#if x}}...{{else}}...{{/if}}, " +
  "{{#each list}}{{this}}{{/each}}; compare with helpers: {{#if (eq a b)}}; write \\{{ for a literal '{{'";
const UNDEFINED_HINT = "define the variable (vars, inventory, register), or guard it: {{#if x}}...{{/if}} or {{ default x 'fallback' }}";

/** A problem while rendering, at an offset of the compiled (rewritten) text. */
class RenderProblem extends Error {
  constructor(
    message: string,
    readonly compiledOffset: number,
    readonly hint: string | undefined,
  ) {
    super(message);
    this.name = "RenderProblem";
  }
}

interface Compiled {
  readonly render: HandlebarsTemplateDelegate;
  readonly rewritten: Rewritten;
  readonly lineStarts: readonly number[];
}

const handlebars = createInstance();
const compiledCache = new Map<string, Compiled | TemplateProblem>();

function createInstance(): typeof Handlebars {
  const instance = Handlebars.create();
  for (const [name, helper] of Object.entries(HELPERS)) instance.registerHelper(name, located(name, helper));
  instance.registerHelper(OUTPUT_HELPER, (value: unknown, name: string, offset: number) => toText(defined(value, name, offset)));
  instance.registerHelper(TEXT_HELPER, (value: unknown) => toText(value));
  instance.registerHelper(NEED_HELPER, defined);
  instance.registerHelper("helperMissing", (...args: unknown[]) => {
    const options = args[args.length - 1] as HelperOptions & { name: string; loc: hbs.AST.SourceLocation };
    throw new LocatedHelperProblem(`unknown helper '${options.name}'`, options.loc,
      didYouMean(options.name, Object.keys(HELPERS)) ?? `known helpers: ${Object.keys(HELPERS).join(", ")}`);
  });
  return instance;
}

function defined(value: unknown, name: string, offset: number): unknown {
  if (value === undefined) throw new RenderProblem(`'${ansibleSpelling(name)}' is undefined`, offset, UNDEFINED_HINT);
  return value;
}

/** hostvars.[k18s01].facts -> hostvars['k18s01'].facts: name variables in errors as the user wrote them. */
function ansibleSpelling(path: string): string {
  return path.replace(/\.\[([^\]]*)\]/g, (_, key: string) => (/^\d+$/.test(key) ? `[${key}]` : `['${key}']`));
}

/** A helper's ValueProblem with the helper call's position, which only Handlebars' options know. */
class LocatedHelperProblem extends Error {
  constructor(
    message: string,
    readonly loc: hbs.AST.SourceLocation,
    readonly hint: string | undefined,
  ) {
    super(message);
    this.name = "LocatedHelperProblem";
  }
}

function located(name: string, helper: HelperDelegate): HelperDelegate {
  return function (this: unknown, ...args: unknown[]) {
    try {
      return (helper as (...all: unknown[]) => unknown).apply(this, args);
    } catch (error) {
      if (!(error instanceof ValueProblem)) throw error;
      const options = args[args.length - 1] as { loc: hbs.AST.SourceLocation };
      throw new LocatedHelperProblem(`${name}: ${error.message}`, options.loc, error.hint);
    }
  };
}

/** Renders `text` (whose first character is at `where`) with `vars`; ParseError names file:line:column on any problem. */
export function renderString(text: string, vars: Vars, where: SourceLocation): string {
  if (!text.includes("{{") && !text.includes("{%")) return text; // nothing to render; rewriteAnsibleSyntax refuses "{% if %}"
  const compiled = compile(text);
  const locate = (originalOffset: number): SourceLocation => offsetLocation(where, text, originalOffset);
  if (compiled instanceof TemplateProblem) throw new ParseError(compiled.message, { location: locate(compiled.offset), hint: compiled.hint });
  try {
    return compiled.render(vars);
  } catch (error) {
    throw toParseError(error, compiled, locate);
  }
}

function toParseError(error: unknown, compiled: Compiled, locate: (offset: number) => SourceLocation): unknown {
  const original = (compiledOffset: number): SourceLocation => locate(compiled.rewritten.offsets.toOriginal(compiledOffset));
  if (error instanceof RenderProblem) return new ParseError(error.message, { location: original(error.compiledOffset), hint: error.hint });
  if (error instanceof LocatedHelperProblem) {
    const offset = offsetOf(compiled.lineStarts, error.loc.start.line, error.loc.start.column);
    return new ParseError(error.message, { location: original(offset), hint: error.hint });
  }
  const position = handlebarsPosition(error);
  if (position) {
    const offset = offsetOf(compiled.lineStarts, position.line, position.column);
    return new ParseError(`template error: ${position.message}`, { location: original(offset), hint: TEMPLATE_HINT, cause: error });
  }
  if (error instanceof Handlebars.Exception) {
    // e.g. a partial that does not exist: Handlebars knows no position, so name the template's start.
    return new ParseError(`template error: ${error.message}`, { location: locate(0), hint: TEMPLATE_HINT, cause: error });
  }
  if (error instanceof TypeError && /is not a function/.test(error.message)) {
    // `{{ a b }}` where `a` is a value, not a helper: Handlebars calls it and fails without a position.
    return new ParseError("template error: a value is followed by another inside one {{ }}, as if it were a helper", {
      location: locate(0),
      hint: "write one value per {{ }} ({{ a }} {{ b }}), or call a helper by name: {{ join list ',' }}",
      cause: error,
    });
  }
  return error;
}

/** Compiles (or fetches) the template for `text`; syntax problems are cached too, as TemplateProblems. */
function compile(text: string): Compiled | TemplateProblem {
  let entry = compiledCache.get(text);
  if (entry === undefined) {
    entry = compileUncached(text);
    compiledCache.set(text, entry);
  }
  return entry;
}

function compileUncached(text: string): Compiled | TemplateProblem {
  let rewritten: Rewritten;
  try {
    rewritten = rewriteAnsibleSyntax(text);
  } catch (error) {
    if (error instanceof TemplateProblem) return error;
    throw error;
  }
  const lineStarts = lineStartsOf(rewritten.text);
  let program: hbs.AST.Program;
  try {
    program = handlebars.parse(rewritten.text);
  } catch (error) {
    const position = handlebarsPosition(error) ?? parseErrorPosition(error, rewritten.text);
    if (!position) throw error;
    const offset = rewritten.offsets.toOriginal(offsetOf(lineStarts, position.line, position.column));
    return new TemplateProblem(`invalid template: ${position.message}`, offset, TEMPLATE_HINT);
  }
  enforceDefined(program, rewritten.text, (pos) => offsetOf(lineStarts, pos.line, pos.column));
  const render = handlebars.compile(program, { noEscape: true, strict: false });
  return { render, rewritten, lineStarts };
}

interface Position {
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

/** Handlebars' Exception carries lineNumber/column (1-based line, 0-based column) for errors it can place. */
function handlebarsPosition(error: unknown): Position | undefined {
  const { lineNumber, column, message } = error as { lineNumber?: unknown; column?: unknown; message?: unknown };
  if (typeof lineNumber !== "number" || typeof column !== "number" || typeof message !== "string") return undefined;
  return { line: lineNumber, column, message: message.replace(/ - \d+:\d+$/, "") };
}

/**
 * The parser's "Parse error on line N:\n<up to 20 chars before>...\n----^\nExpecting ..., got 'X'"
 * has a line but no column: find where the text shown before the caret ends on that line.
 */
function parseErrorPosition(error: unknown, text: string): Position | undefined {
  const message = error instanceof Error ? error.message : "";
  const match = /^(?:Parse|Lexical) error on line (\d+)[:.]/.exec(message);
  if (!match) return undefined;
  const line = Number(match[1]);
  const [, context = "", pointer = "", expecting = ""] = message.split("\n");
  const before = context.slice(0, Math.max(0, pointer.indexOf("^"))).replace(/^\.\.\./, "");
  const lineText = text.split("\n")[line - 1] ?? "";
  let column = 0;
  for (let length = before.length; length > 0; length--) {
    const found = lineText.indexOf(before.slice(-length));
    if (found >= 0) {
      column = found + length;
      break;
    }
  }
  const got = /got '([^']+)'/.exec(expecting)?.[1];
  const detail = got === undefined ? "syntax error" : got === "INVALID" ? "unexpected character" : `unexpected ${got.toLowerCase()}`;
  return { line, column, message: detail };
}

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === "\n") starts.push(i + 1);
  return starts;
}

function offsetOf(lineStarts: readonly number[], line: number, column: number): number {
  return (lineStarts[line - 1] ?? 0) + column;
}

/**
 * "{{ path }}" or "{{ path | filter(...) }}" alone: the value keeps its type (list, dict, number), as in Ansible.
 * A subscript may be a variable (`groups[group_name]`, `hostvars[item].x`): Handlebars cannot read those, the
 * expression evaluator can.
 */
const PATH = String.raw`[A-Za-z_]\w*(?:\s*\.\s*[A-Za-z_]\w*|\s*\[\s*(?:'[^']*'|"[^"]*"|\d+|[A-Za-z_]\w*)\s*\])*`;
const FILTER = String.raw`\s*\|\s*[A-Za-z_]\w*(?:\s*\((?:(?!\}\}).)*?\))?`;
const SINGLE_EXPRESSION = new RegExp(String.raw`^\{\{\s*${PATH}(?:${FILTER})*\s*\}\}$`, "s");

/**
 * One mustache and nothing else, not a Handlebars block, partial or comment: if its inside is an
 * expression of the condition language (`{{ a == 'b' }}`, `{{ x if c else y }}`, `{{ [a, b] }}`)
 * it is evaluated as one, keeping its type, as Ansible does. Helper calls (`{{ json x }}`) are
 * not expressions and stay Handlebars.
 */
const LONE_MUSTACHE = /^\{\{(?![#/^>!&{~])(?:(?!\{\{|\}\}).)*\}\}$/s;

function isSingleExpression(value: string): boolean {
  return SINGLE_EXPRESSION.test(value) || (LONE_MUSTACHE.test(value) && isExpression(value));
}

/**
 * Whether `value` (text, or a list/dict holding text) holds a "{{ }}" that renderValue would
 * render. "{%" alone is not one: renderValue leaves such text as it is.
 */
export function hasTemplate(value: unknown): boolean {
  if (typeof value === "string") return value.includes("{{");
  if (Array.isArray(value)) return value.some(hasTemplate);
  if (value !== null && typeof value === "object") return Object.values(value).some(hasTemplate);
  return false;
}

/**
 * Renders every string inside `value` (objects and arrays walked, new ones returned). A string
 * that is exactly one "{{ expression }}" evaluates to the raw value; strings without "{{" are
 * returned as they are. Keys are not rendered (neither does Ansible).
 */
export function renderValue(value: unknown, vars: Vars, where: SourceLocation): unknown {
  if (typeof value === "string") {
    if (!hasTemplate(value)) return value;
    return isSingleExpression(value) ? evaluateExpression(value, vars, where) : renderString(value, vars, where);
  }
  if (Array.isArray(value)) return value.map((item) => renderValue(item, vars, where));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, renderValue(item, vars, where)]));
  }
  return value;
}
