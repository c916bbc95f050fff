/**
 * The few Ansible/Jinja spellings people type inside "{{ }}", rewritten into Handlebars before
 * compiling. Only two things are rewritten, both inside mustaches and never inside quoted strings:
 *
 *   subscripts:  hostvars['k18s01'].facts   ->  hostvars.[k18s01].facts   (also ["k"] and [0])
 *   filters:     {{ x | default('y') | upper }}  ->  {{ upper (default x 'y') }}
 *
 * Filters are rewritten only for plain output mustaches (not `{{#if}}` and other blocks) and only
 * for FILTER_HELPERS; anything else is a TemplateProblem whose hint shows the Handlebars form.
 * Jinja statements ("{% if %}") are refused with a hint naming the Handlebars block. Jinja comments
 * ("{# #}") are left alone: "${#array[@]}" in a shell script looks the same.
 */
import { didYouMean } from "../errors.js";
import { FILTERS } from "./filters.js";

/** A problem at an offset of the ORIGINAL template text; render.ts turns it into a located ParseError. */
export class TemplateProblem extends Error {
  constructor(
    message: string,
    readonly offset: number,
    readonly hint: string | undefined,
  ) {
    super(message);
    this.name = "TemplateProblem";
  }
}

/** Filters that may be written Ansible-style with '|': every filter is also a helper of the same name (helpers.ts). */
export const FILTER_HELPERS: ReadonlySet<string> = new Set(Object.keys(FILTERS));

/** A rewritten mustache: where it is in the new text and where it was in the original. */
interface Span {
  readonly newStart: number;
  readonly newLength: number;
  readonly start: number;
  readonly length: number;
}

/**
 * Maps offsets in the rewritten text back to the original template text. Text outside rewritten
 * mustaches maps exactly; a position inside one maps to its "{{", since its tokens were reordered.
 */
export class OffsetMap {
  constructor(private readonly spans: readonly Span[]) {}

  toOriginal(newOffset: number): number {
    let delta = 0;
    for (const span of this.spans) {
      if (newOffset < span.newStart) break;
      if (newOffset < span.newStart + span.newLength) return span.start;
      delta = span.start + span.length - (span.newStart + span.newLength);
    }
    return newOffset + delta;
  }
}

export interface Rewritten {
  readonly text: string;
  readonly offsets: OffsetMap;
}

const JINJA_STATEMENT = /\{%-?\s*(if|elif|else|endif|for|endfor|set|raw|endraw|macro|block|include|import|with)\b/;

/** Rewrites the Ansible spellings above; throws TemplateProblem for Jinja statements and unknown filters. */
export function rewriteAnsibleSyntax(template: string): Rewritten {
  const jinja = JINJA_STATEMENT.exec(template);
  if (jinja) {
    throw new TemplateProblem(`Jinja statements ('{% ${jinja[1] ?? ""} %}') are not supported`, jinja.index,
      "templates are Handlebars: {{#if x}}...{{else}}...{{/if}}, {{#each list}}{{this}}{{/each}}, {{!-- comment --}}");
  }
  const spans: Span[] = [];
  let out = "";
  let last = 0;
  for (const mustache of findMustaches(template)) {
    const rewritten = rewriteMustache(mustache.body, mustache.start + 2);
    if (rewritten === mustache.body) continue;
    out += template.slice(last, mustache.start);
    const replacement = `{{${rewritten}}}`;
    spans.push({ newStart: out.length, newLength: replacement.length, start: mustache.start, length: mustache.body.length + 4 });
    out += replacement;
    last = mustache.start + mustache.body.length + 4;
  }
  out += template.slice(last);
  return { text: out, offsets: new OffsetMap(spans) };
}

interface Mustache {
  readonly start: number;
  readonly body: string;
}

/** `{{ ... }}` occurrences, skipping `{{{raw}}}`, `{{!-- comments --}}` and escaped `\{{`. */
function findMustaches(text: string): Mustache[] {
  const found: Mustache[] = [];
  let index = text.indexOf("{{");
  while (index >= 0) {
    const isComment = text.startsWith("{{!", index);
    const close = isComment && text.startsWith("{{!--", index) ? text.indexOf("--}}", index) : text.indexOf("}}", index + 2);
    if (close < 0) break;
    const escaped = index > 0 && text[index - 1] === "\\";
    if (!isComment && !escaped && text[index + 2] !== "{") found.push({ start: index, body: text.slice(index + 2, close) });
    index = text.indexOf("{{", close + 2);
  }
  return found;
}

function rewriteMustache(body: string, offset: number): string {
  // Filters first, on the original text, so their errors point at the right column.
  const control = /^\s*~?\s*[#/^>!&]|^\s*~?\s*else\b/.test(body);
  return rewriteSubscripts(control ? body : rewriteFilters(body, offset), offset);
}

const SUBSCRIPT = /^\[\s*(?:'([^'\]]*)'|"([^"\]]*)"|(\d+))\s*\]/;

/** x['k'] / x["k"] / x[0] -> x.[k]; leaves Handlebars' own x.[k] and quoted strings alone. */
function rewriteSubscripts(body: string, offset: number): string {
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const ch = body[i] ?? "";
    if (ch === "'" || ch === '"') {
      const end = closingQuote(body, i, offset);
      out += body.slice(i, end + 1);
      i = end;
      continue;
    }
    const match = ch === "[" && body[i - 1] !== "." ? SUBSCRIPT.exec(body.slice(i)) : null;
    if (match && i > 0 && /[\w\]]/.test(body[i - 1] ?? "")) {
      out += `.[${match[1] ?? match[2] ?? match[3] ?? ""}]`;
      i += match[0].length - 1;
      continue;
    }
    out += ch;
  }
  return out;
}

function closingQuote(body: string, open: number, offset: number): number {
  const end = body.indexOf(body[open] ?? "", open + 1);
  if (end < 0) throw new TemplateProblem("unterminated string", offset + open, "close the quote inside the '{{ }}'");
  return end;
}

/** Splits at `separator` outside quotes and parentheses. */
function splitTopLevel(text: string, separator: string, offset: number): { part: string; at: number }[] {
  const parts: { part: string; at: number }[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "'" || ch === '"') i = closingQuote(text, i, offset);
    else if (ch === "(" || ch === "[" || ch === "{") depth++;
    else if (ch === ")" || ch === "]" || ch === "}") depth--;
    else if (ch === separator && depth === 0) {
      parts.push({ part: text.slice(start, i), at: start });
      start = i + 1;
    }
  }
  parts.push({ part: text.slice(start), at: start });
  return parts;
}

const FILTER_CALL = /^\s*([A-Za-z_]\w*)\s*(?:\((.*)\))?\s*$/s;

/** `base | f(a, b) | g` -> `g (f base a b)`; a body without a top-level '|' is returned unchanged. */
function rewriteFilters(body: string, offset: number): string {
  const stages = splitTopLevel(body, "|", offset);
  const [base, ...filters] = stages;
  if (base === undefined || filters.length === 0) return body;
  const lead = /^\s*~?/.exec(body)?.[0] ?? "";
  const trail = /~?\s*$/.exec(body)?.[0] ?? "";
  let expression = base.part.slice(lead.length).trim();
  if (isHelperCall(expression)) expression = `(${expression})`;
  filters.forEach((stage, i) => {
    const last = i === filters.length - 1;
    const part = last ? stage.part.slice(0, stage.part.length - trail.length) : stage.part;
    const at = offset + stage.at + leadingSpace(part);
    if (part.trim() === "") {
      throw new TemplateProblem("missing filter name after '|'", offset + stage.at,
        "Jinja's 'or' and '||' are not template syntax: {{ or a b }} or {{ default a b }}");
    }
    const call = FILTER_CALL.exec(part);
    const name = call?.[1];
    if (name === undefined || !FILTER_HELPERS.has(name)) {
      throw new TemplateProblem(`unsupported filter '${part.trim()}'`, at,
        didYouMean(name ?? part.trim(), FILTER_HELPERS) ??
          `filters usable with '|': ${[...FILTER_HELPERS].join(", ")}; or call a helper: {{ helper value arg }}`);
    }
    const argsAt = at + part.trim().indexOf("(") + 1;
    const args = call?.[2] === undefined ? [] : splitTopLevel(call[2], ",", argsAt).map((arg) => helperArgument(arg.part, argsAt + arg.at + leadingSpace(arg.part)));
    const inner = [name, expression, ...args].join(" ");
    expression = last ? inner : `(${inner})`;
  });
  return `${lead} ${expression} ${trail}`;
}

function leadingSpace(text: string): number {
  return text.length - text.trimStart().length;
}

/** `join items ','` (several words outside quotes) must become a sub-expression before a filter applies to it. */
function isHelperCall(expression: string): boolean {
  return /\s/.test(expression.replace(/'[^']*'|"[^"]*"/g, "''"));
}

/** A filter argument in Handlebars' spelling; lists and dicts have none. */
function helperArgument(raw: string, offset: number): string {
  const arg = raw.trim();
  if (/^(True|False)$/.test(arg)) return arg.toLowerCase();
  if (/^(None|none)$/.test(arg)) return "null";
  if (/^[[{]/.test(arg)) {
    throw new TemplateProblem(`list and dict literals ('${arg}') are not available in templates`, offset,
      "pass a variable that holds the list, or use the value alone in a task argument (\"{{ x | default([]) }}\")");
  }
  return arg;
}
