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
acceptIntegerAttributes();
balanceEndTags();

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

interface Token {
  readonly type: string;
  readonly value: string;
  readonly lineno: number;
  readonly colno: number;
}

interface ParserInternals {
  peekToken(): Token | null;
  nextToken(): Token | null;
  parseSignature(): unknown;
  parseAggregate(): { children: unknown[] };
  fail(message: string, lineno?: number, colno?: number): never;
}

type NodeClass = new (lineno: number, colno: number, ...fields: unknown[]) => unknown;

interface TokenizerInternals {
  in_code: boolean;
  str: string;
  index: number;
  lineno: number;
  colno: number;
  /**
   * Our own field: the brackets open (innermost last) where each token starts, kept by index
   * because jinja-compat's slice parser rewinds the tokenizer to an earlier token.
   */
  rbOpenAt?: Map<number, string>;
  current(): string;
  forward(): void;
  nextToken(): Token | null;
}

const OPENING: Readonly<Record<string, string>> = { "left-paren": "(", "left-bracket": "[", "left-curly": "{" };
const CLOSING = new Set(["right-paren", "right-bracket", "right-curly"]);

/**
 * Jinja2's lexer takes no end tag while a bracket is open: `{{ {'a': {'b': 1}} }}` is a dict in a
 * dict, its `}}` two closing braces (and `%}` inside brackets a `%` then a brace). nunjucks ends
 * the expression at the first `}}`. Its tokenizer is taught Jinja2's rule: in an open `{`, a `}`
 * is its closing brace; inside any bracket, a `%` or `-` before a `}` is an operator. A `}` that
 * closes nothing open stays nunjucks' (the end, or the error Jinja2 gives there too).
 */
function balanceEndTags(): void {
  const lexer = (nunjucks as unknown as { lexer: { lex(src: string): TokenizerInternals } }).lexer;
  const proto = Object.getPrototypeOf(lexer.lex("")) as TokenizerInternals;
  const nextToken = proto.nextToken;
  proto.nextToken = function balancedNextToken(this: TokenizerInternals): Token | null {
    const openAt = (this.rbOpenAt ??= new Map());
    const open = openAt.get(this.index) ?? "";
    let token: Token | null;
    let after = open;
    const cur = this.current();
    if (this.in_code && cur === "}" && open.endsWith("{")) {
      token = { type: "right-curly", value: cur, lineno: this.lineno, colno: this.colno };
      this.forward();
      after = open.slice(0, -1);
    } else if (this.in_code && open !== "" && (cur === "%" || cur === "-") && this.str.charAt(this.index + 1) === "}") {
      token = { type: "operator", value: cur, lineno: this.lineno, colno: this.colno };
      this.forward();
    } else {
      token = nextToken.call(this);
      if (token === null || !this.in_code) after = "";
      else if (OPENING[token.type] !== undefined) after = open + OPENING[token.type];
      else if (CLOSING.has(token.type)) after = open.slice(0, -1);
    }
    openAt.set(this.index, after);
    return token;
  };
}

/**
 * Jinja2 reads `x.0` as `x[0]` (Ansible's with_subelements tasks say `item.0.name`); nunjucks'
 * parser wants a name after the dot, and its lexer reads `0.name` as the float `0.` then
 * `name` (and `0.1` as one float). Its postfix parser (calls, subscripts, attributes) is
 * replaced by one that also takes integers there, a float's digits as two.
 */
function acceptIntegerAttributes(): void {
  const api = nunjucks as unknown as { parser: { Parser: { prototype: Record<string, unknown> } }; nodes: Record<string, NodeClass> };
  const { FunCall, LookupVal, Literal } = api.nodes as Record<"FunCall" | "LookupVal" | "Literal", NodeClass>;
  api.parser.Parser.prototype["parsePostfix"] = function parsePostfix(this: ParserInternals, start: unknown): unknown {
    let node = start;
    const lookup = (at: Token, key: string | number): void => {
      node = new LookupVal(at.lineno, at.colno, node, new Literal(at.lineno, at.colno, key));
    };
    // a float `0.` ended in a dot: what follows is the next attribute, without a dot token
    let pendingDot = false;
    for (let tok = this.peekToken(); tok; tok = this.peekToken()) {
      if (pendingDot || (tok.type === "operator" && tok.value === ".")) {
        if (!pendingDot) this.nextToken();
        pendingDot = false;
        const name = this.nextToken();
        if (name?.type === "symbol") lookup(name, name.value);
        else if (name?.type === "int") lookup(name, Number(name.value));
        else if (name?.type === "float") {
          const [whole = "", fraction = ""] = name.value.split(".");
          lookup(name, Number(whole));
          if (fraction === "") pendingDot = true;
          else lookup(name, Number(fraction));
        } else this.fail(`expected name as lookup value, got ${name?.value ?? "the end"}`, name?.lineno, name?.colno);
      } else if (tok.type === "left-paren") node = new FunCall(tok.lineno, tok.colno, node, this.parseSignature());
      else if (tok.type === "left-bracket") {
        const aggregate = this.parseAggregate();
        if (aggregate.children.length > 1) this.fail("invalid index");
        node = new LookupVal(tok.lineno, tok.colno, node, aggregate.children[0]);
      } else break;
    }
    return node;
  };
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
