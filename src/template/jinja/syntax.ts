/**
 * Jinja2 syntax, parsed by nunjucks' parser (its public `parser` export) with Ansible's settings:
 * trim_blocks on, lstrip_blocks off. nunjucks' lexer and parser handle statements, whitespace
 * control, raw blocks and comments and place every node at a line and column; the tree is
 * evaluated by evaluate.ts with Python's semantics (nunjucks' own compiler generates JavaScript
 * with JavaScript's operators and runs it through `new Function`, which we do not want).
 */
import nunjucks from "nunjucks";

/** A node of nunjucks' tree: its type name, 0-based position, and fields named by type. */
export interface JinjaNode {
  readonly typename: string;
  readonly lineno: number;
  readonly colno: number;
  readonly value?: unknown;
  readonly children?: readonly JinjaNode[];
  readonly [field: string]: unknown;
}

interface NunjucksParser {
  parse(src: string, extensions: readonly unknown[], opts: Record<string, unknown>): JinjaNode;
}

const parser = (nunjucks as unknown as { parser: NunjucksParser }).parser;
// nunjucks' own switch for Jinja2's syntax: slices (x[1:], x[::-1]), True/False/None.
nunjucks.installJinjaCompat();

/**
 * How backslashes in string literals read. Template files: as in Python ('\n' is a newline,
 * '\d' stays backslash-d). Values in YAML: Ansible doubles them first (escape_backslashes), so
 * every backslash is kept as written.
 */
export type Escapes = "python" | "literal";

/** A syntax error at a 0-based line and column of the template text. */
export class JinjaSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
    this.name = "JinjaSyntaxError";
  }
}

const CACHE_LIMIT = 10_000;
const caches: Record<Escapes, Map<string, JinjaNode | JinjaSyntaxError>> = { python: new Map(), literal: new Map() };

/** The parsed tree of `text` (cached: the same template is rendered per host and per loop item). */
export function parseTemplate(text: string, escapes: Escapes = "python"): JinjaNode {
  const cache = caches[escapes];
  let entry = cache.get(text);
  if (entry === undefined) {
    const source = commentsTrimmed(text);
    entry = parseUncached(source);
    if (!(entry instanceof JinjaSyntaxError)) redecodeStrings(entry, source, escapes);
    if (cache.size >= CACHE_LIMIT) cache.clear(); // generated text (loop items in templates) must not grow it forever
    cache.set(text, entry);
  }
  if (entry instanceof JinjaSyntaxError) throw entry;
  return entry;
}

function parseUncached(text: string): JinjaNode | JinjaSyntaxError {
  try {
    return parser.parse(text, [], { trimBlocks: true, lstripBlocks: false });
  } catch (error) {
    const { lineno, colno, message } = error as { lineno?: unknown; colno?: unknown; message?: unknown };
    if (typeof message !== "string") throw error;
    // nunjucks reports 1-based positions; its message repeats them ("(unknown path) [Line 1, Column 5]\n  ...").
    const detail = message.replace(/^[^\n]*\[Line \d+(?:, Column \d+)?\]\s*/s, "").replace(/^\(unknown path\)\s*/, "").trim();
    return new JinjaSyntaxError(detail, typeof lineno === "number" ? lineno - 1 : 0, typeof colno === "number" ? colno - 1 : 0);
  }
}

/** A field of a node that holds another node. */
export function child(node: JinjaNode, field: string): JinjaNode {
  const value = node[field];
  // nunjucks leaves holes in some trees it accepts ("{{ *.a }}"): an error, not a TypeError.
  if (value === null || typeof value !== "object") throw new JinjaSyntaxError("incomplete expression", node.lineno, node.colno);
  return value as JinjaNode;
}

export function optionalChild(node: JinjaNode, field: string): JinjaNode | undefined {
  const value = node[field];
  return value === null || value === undefined ? undefined : (value as JinjaNode);
}

export function childrenOf(node: JinjaNode | undefined): readonly JinjaNode[] {
  return node?.children ?? [];
}

/**
 * trim_blocks removes the newline after a comment too; nunjucks' lexer does it only after
 * blocks. The newline moves inside a comment of its own, so lines keep their numbers.
 */
function commentsTrimmed(text: string): string {
  return text.includes("#}\n") ? text.replace(/#\}\n/g, "#}{#\n#}") : text;
}

const PYTHON_ESCAPES: Readonly<Record<string, string>> = { n: "\n", t: "\t", r: "\r", "\\": "\\", "'": "'", '"': '"', a: "\x07", b: "\b", f: "\f", v: "\v", "\n": "" };

/** A string literal's value read from its source text, which starts with its quote at `start`. */
function stringAt(text: string, start: number, escapes: Escapes): string | undefined {
  const quote = text[start];
  if (quote !== "'" && quote !== '"') return undefined;
  let value = "";
  for (let i = start + 1; i < text.length; i++) {
    const ch = text[i] ?? "";
    if (ch === quote) return value;
    if (ch !== "\\") {
      value += ch;
      continue;
    }
    const next = text[++i] ?? "";
    if (escapes === "literal") value += next === quote ? next : ch + next;
    else if (/[0-7]/.test(next)) {
      const digits = /^[0-7]{1,3}/.exec(text.slice(i))?.[0] ?? next;
      value += String.fromCharCode(parseInt(digits, 8));
      i += digits.length - 1;
    } else if (next === "x" || next === "u") {
      const length = next === "x" ? 2 : 4;
      value += String.fromCharCode(parseInt(text.slice(i + 1, i + 1 + length), 16));
      i += length;
    } else value += PYTHON_ESCAPES[next] ?? ch + next;
  }
  return undefined;
}

/** nunjucks drops the backslash of unknown escapes ('\\d' reads 'd'); Jinja2 keeps Python's meaning. */
function redecodeStrings(root: JinjaNode, text: string, escapes: Escapes): void {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === "\n") lineStarts.push(i + 1);
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== "object") return;
    if (Array.isArray(node)) return node.forEach(visit);
    const jinja = node as JinjaNode & { value?: unknown };
    if (jinja.typename === "Literal" && typeof jinja.value === "string") {
      const decoded = stringAt(text, (lineStarts[jinja.lineno] ?? 0) + jinja.colno, escapes);
      if (decoded !== undefined) (jinja as { value: unknown }).value = decoded;
    }
    for (const [key, value] of Object.entries(jinja)) if (key !== "value" || typeof value === "object") visit(value);
  };
  visit(root);
}
