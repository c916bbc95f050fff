/**
 * Handlebars, for `.hbs` template files only (everything else is Jinja2, see jinja/).
 *
 * A private Handlebars instance (never the global one) with runbook's helpers, `noEscape` (we
 * write config files, not HTML) and strict output enforced on the parsed tree (strict-output.ts).
 * Compiled templates are cached by text: the same template is rendered once per host.
 */
import Handlebars, { type HelperDelegate, type HelperOptions } from "handlebars";
import { didYouMean, ParseError, type SourceLocation } from "../errors.js";
import { HELPERS } from "./helpers.js";
import { offsetLocation } from "./location.js";
import { enforceDefined, NEED_HELPER, OUTPUT_HELPER, TEXT_HELPER } from "./strict-output.js";
import { toText, ValueProblem } from "./values.js";

type Vars = Readonly<Record<string, unknown>>;

const TEMPLATE_HINT =
  "templates are Handlebars: {{ var }}, {{ a.b }}, {{ helper arg1 arg2 }}, {{#if x}}...{{else}}...{{/if}}, " +
  "{{#each list}}{{this}}{{/each}}; compare with helpers: {{#if (eq a b)}}; write \\{{ for a literal '{{'";
const UNDEFINED_HINT = "define the variable (vars, inventory, register), or guard it: {{#if x}}...{{/if}} or {{ default x 'fallback' }}";

/** A syntax problem at an offset of the template text. */
class TemplateProblem extends Error {
  constructor(
    message: string,
    readonly offset: number,
    readonly hint: string | undefined,
  ) {
    super(message);
    this.name = "TemplateProblem";
  }
}

/** A problem while rendering, at an offset of the template text. */
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

/** Renders Handlebars `text` (whose first character is at `where`) with `vars`; ParseError names file:line:column on any problem. */
export function renderHandlebars(text: string, vars: Vars, where: SourceLocation): string {
  if (!text.includes("{{")) return text;
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
  const original = locate;
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
  const lineStarts = lineStartsOf(text);
  let program: hbs.AST.Program;
  try {
    program = handlebars.parse(text);
  } catch (error) {
    const position = handlebarsPosition(error) ?? parseErrorPosition(error, text);
    if (!position) throw error;
    return new TemplateProblem(`invalid template: ${position.message}`, offsetOf(lineStarts, position.line, position.column), TEMPLATE_HINT);
  }
  enforceDefined(program, text, (pos) => offsetOf(lineStarts, pos.line, pos.column));
  const render = handlebars.compile(program, { noEscape: true, strict: false });
  return { render, lineStarts };
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
