/**
 * Renders Jinja2 text as Ansible's templar does: trim_blocks on, lstrip_blocks off, trailing
 * newlines kept (Jinja2 drops one, Ansible adds back what is missing), None printed as nothing,
 * undefined names an error. Problems come back as located ParseErrors.
 */
import { readFileSync } from "node:fs";
import { dirname } from "node:path";
import { ParseError, type SourceLocation } from "../../errors.js";
import { isPlainObject, ValueProblem } from "../values.js";
import { ANSIBLE_FILTERS } from "./filters-ansible.js";
import { JINJA_FILTERS, sequenceFilters } from "./filters-jinja.js";
import { findFile, runLookupPlugin, templateGlobals } from "./globals.js";
import { hostvarsView } from "./hostvars.js";
import { renderReads } from "../reads.js";
import { IPADDR_FILTERS } from "./ipaddr.js";
import type { Filter, Library } from "./library.js";
import { JinjaProblem, Scope } from "./runtime.js";
import { Statements } from "./statements.js";
import { childrenOf, JinjaSyntaxError, parseTemplate, type Escapes, type JinjaNode } from "./syntax.js";
import { LENIENT_TESTS, TESTS } from "./tests.js";

type Vars = Readonly<Record<string, unknown>>;

const FILTERS: Readonly<Record<string, Filter>> = {
  ...JINJA_FILTERS,
  ...ANSIBLE_FILTERS,
  ...IPADDR_FILTERS,
  ...sequenceFilters(() => FILTERS, TESTS),
};
const LENIENT_FILTERS: ReadonlySet<string> = new Set(["default", "d", "mandatory"]);

/** Location of a 0-based line and column of `text`, which starts at `where`. */
export function locate(where: SourceLocation, line: number, column: number): SourceLocation {
  if (line === 0) return { file: where.file, line: where.line, column: where.column + column };
  return { file: where.file, line: where.line + line, column: column + 1 };
}

function toParseError(error: unknown, where: SourceLocation, text?: string): unknown {
  if (error instanceof JinjaSyntaxError) {
    const message = error.message.replace("unexpected token: }}", "unexpected end of the expression").replace("expected variable end", "expected '}}' (the end of the expression)");
    return new ParseError(`template syntax error: ${message}`, { location: locate(where, error.line, error.column), hint: syntaxHint(text) });
  }
  if (error instanceof JinjaProblem) {
    const at = error.node === undefined ? where : locate(where, error.node.lineno, error.node.colno);
    return new ParseError(error.message, { location: at, hint: error.hint });
  }
  if (error instanceof ValueProblem) return new ParseError(error.message, { location: where, hint: error.hint });
  return error;
}

/** JavaScript habits get a hint of their own; everything else the summary of Jinja2's syntax. */
function syntaxHint(text: string | undefined): string {
  if (text !== undefined && /\{\{[#/^]|\{\{else\}\}/.test(text)) return "Handlebars ({{#if x}}, {{#each}}) is for *.hbs template files; Jinja2 writes {% if x %}...{% else %}...{% endif %}, {% for x in list %}...{% endfor %}";
  if (text !== undefined && /&&|\|\||(^|[^!=<>])!(?!=)|\?\?|\?\./.test(text)) return "Jinja2 writes 'and', 'or', 'not x', 'x | default(y)' (not &&, ||, !, ??, ?.)";
  return SYNTAX_HINT;
}

const SYNTAX_HINT = "Jinja2: {{ expression }}, {% if x %}...{% endif %}, {% for x in list %}...{% endfor %}, {# comment #}; {% raw %}...{% endraw %} for literal braces";

function trailingNewlines(text: string): number {
  let count = 0;
  while (count < text.length && text[text.length - 1 - count] === "\n") count++;
  return count;
}

/** The tree of `text` without its last newline, as Jinja2 (keep_trailing_newline off) reads it. */
function treeOf(text: string, escapes: Escapes): JinjaNode {
  return parseTemplate(text.endsWith("\n") ? text.slice(0, -1) : text, escapes);
}

export class Engine {
  readonly statements: Statements;

  constructor(
    private readonly vars: Vars,
    private readonly where: SourceLocation,
    /** Template files read string literals as Python does; YAML values keep backslashes (see syntax.ts). */
    private readonly escapes: Escapes = "literal",
  ) {
    const library: Library = {
      filters: FILTERS,
      tests: TESTS,
      lenientFilters: LENIENT_FILTERS,
      lenientTests: LENIENT_TESTS,
      globals: templateGlobals({ vars, renderFile: (path) => this.renderFile(path) }),
      include: (name, scope, node) => this.include(name, scope, node),
    };
    this.statements = new Statements(library);
  }

  /** A lookup plugin over terms already rendered: a `with_<lookup>:` loop's items. */
  lookup(name: string, terms: readonly unknown[], subdir: string | undefined): unknown[] {
    return guarded(this.where, () => runLookupPlugin(name, terms, { vars: this.vars, renderFile: (path) => this.renderFile(path), subdir }));
  }

  /** Jinja2's rendering of the whole text. */
  render(text: string): string {
    return guarded(this.where, () => {
      const out = this.statements.render(treeOf(text, this.escapes), this.scope());
      const missing = trailingNewlines(text) - trailingNewlines(out);
      return missing > 0 ? out + "\n".repeat(missing) : out;
    }, text);
  }

  /**
   * The value of a text that is one `{{ expression }}` (nothing around it), or undefined when the
   * text is anything else. Ansible keeps such a value's type when it is a list, dict or boolean.
   */
  singleValue(text: string): { readonly value: unknown } | undefined {
    return guarded(this.where, () => {
      const statements = childrenOf(treeOf(text, this.escapes));
      const only = statements.length === 1 ? statements[0] : undefined;
      const parts = only?.typename === "Output" ? childrenOf(only) : [];
      const expression = parts.length === 1 && parts[0]?.typename !== "TemplateData" ? parts[0] : undefined;
      if (expression === undefined || trailingNewlines(text) > 0) return undefined;
      return { value: this.statements.expressions.value(expression, this.scope()) };
    }, text);
  }

  /** A bare expression (when:, changed_when:...), evaluated to its value. */
  expression(text: string): unknown {
    try {
      return this.expressionUnclamped(text);
    } catch (error) {
      // "{{ " was put in front of the text: a problem at it is at the text's first character.
      const location = error instanceof ParseError ? error.location : undefined;
      if (!location || location.line !== this.where.line || location.column >= this.where.column) throw error;
      throw new ParseError((error as ParseError).message, { location: this.where, hint: (error as ParseError).hint });
    }
  }

  private expressionUnclamped(text: string): unknown {
    const shifted: SourceLocation = { ...this.where, column: this.where.column - 3 };
    return guarded(shifted, () => {
      if (text.trim() === "") throw new JinjaSyntaxError("empty expression", 0, 3);
      const tree = parseTemplate(`{{ ${text} }}`, this.escapes);
      const output = childrenOf(tree)[0];
      const expression = output === undefined ? undefined : childrenOf(output)[0];
      if (childrenOf(tree).length !== 1 || expression === undefined || childrenOf(output as JinjaNode).length !== 1) {
        throw new JinjaSyntaxError("expected one expression", 0, 3);
      }
      return this.statements.expressions.value(expression, this.scope());
    }, text);
  }

  private scope(): Scope {
    return new Scope(this.rootVars(), undefined);
  }

  /** The variables, with hostvars[other] rendering that host's templated values against its own variables. */
  private rootVars(): Vars {
    const hostvars = this.vars["hostvars"];
    if (!isPlainObject(hostvars)) return this.vars;
    const view = hostvarsView(hostvars, this.vars["groups"], this.where);
    return new Proxy(this.vars, { get: (target, key, receiver) => (key === "hostvars" ? view : Reflect.get(target, key, receiver)) });
  }

  private renderFile(path: string): string {
    renderReads.controller++;
    return new Engine(this.vars, { file: path, line: 1, column: 1 }, "python").render(readFileSync(path, "utf8"));
  }

  private include(name: string, scope: Scope, node: JinjaNode): string {
    renderReads.controller++;
    const local = findFile({ playbook_dir: dirname(this.where.file) }, name, "templates");
    const path = local ?? findFile(this.vars, name, "templates");
    if (path === undefined) throw new JinjaProblem(`template '${name}' not found`, node, "include looks next to the template, in the role's templates/ and in the playbook's directory");
    const text = readFileSync(path, "utf8");
    return guarded({ file: path, line: 1, column: 1 }, () => this.statements.render(treeOf(text, this.escapes), scope));
  }
}

function guarded<T>(where: SourceLocation, run: () => T, text?: string): T {
  try {
    return run();
  } catch (error) {
    throw toParseError(error, where, text);
  }
}

