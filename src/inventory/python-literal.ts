/**
 * Ansible types INI values with Python's `ast.literal_eval`, falling back to the raw string:
 * `22` is a number, `True` a boolean, `'a b'` a string, `[1, 2]` a list, but `true`, `yes`
 * and `022` stay strings. This is a small reader for that literal grammar.
 */

/** The typed value of an INI value, or the text itself when it is not a Python literal. */
export function iniValue(text: string): unknown {
  const reader = new LiteralReader(text.replace(/^[ \t]+/, ""));
  try {
    const value = reader.expression();
    reader.skipSpace();
    if (reader.peek() === "#") return value; // a trailing Python comment
    return reader.atEnd() ? value : text;
  } catch (error) {
    if (error instanceof NotALiteral) return text;
    throw error;
  }
}

/** The value of `text` read as one whole Python literal (Ansible's `ast.literal_eval`), or undefined when it is not one. */
export function pythonLiteral(text: string): { readonly value: unknown } | undefined {
  const reader = new LiteralReader(text);
  try {
    const value = reader.expression();
    reader.skipSpace();
    return reader.atEnd() ? { value } : undefined;
  } catch (error) {
    if (error instanceof NotALiteral) return undefined;
    throw error;
  }
}

class NotALiteral extends Error {}

const INTEGER = /^(?:0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|[1-9](?:_?[0-9])*|0+(?:_?0)*)/;
const FLOAT = /^(?:(?:[0-9](?:_?[0-9])*)?\.[0-9](?:_?[0-9])*(?:[eE][+-]?[0-9](?:_?[0-9])*)?|[0-9](?:_?[0-9])*\.(?:[eE][+-]?[0-9](?:_?[0-9])*)?|[0-9](?:_?[0-9])*[eE][+-]?[0-9](?:_?[0-9])*)/;
const SIMPLE_ESCAPES: Record<string, string> = { n: "\n", t: "\t", r: "\r", "\\": "\\", "'": "'", '"': '"', a: "\x07", b: "\b", f: "\f", v: "\v", "0": "\0", "\n": "" };

class LiteralReader {
  private position = 0;
  constructor(private readonly text: string) {}

  peek(): string {
    return this.text[this.position] ?? "";
  }

  atEnd(): boolean {
    return this.position >= this.text.length;
  }

  skipSpace(): void {
    while (/\s/.test(this.peek()) && !this.atEnd()) this.position++;
  }

  expression(): unknown {
    this.skipSpace();
    const char = this.peek();
    if (char === "-" || char === "+") {
      this.position++;
      this.skipSpace();
      const number = this.number();
      return char === "-" ? -number : number;
    }
    if (char === "[") return this.sequence("[", "]");
    if (char === "(") return this.sequence("(", ")");
    if (char === "{") return this.braces();
    if (/[0-9.]/.test(char)) return this.number();
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.text.slice(this.position))?.[0];
    if (word === "True" || word === "False" || word === "None") {
      this.position += word.length;
      return word === "True" ? true : word === "False" ? false : null;
    }
    if (/^[rRuUbB]{0,2}['"]/.test(this.text.slice(this.position))) return this.strings();
    throw new NotALiteral();
  }

  private number(): number {
    const rest = this.text.slice(this.position);
    const float = FLOAT.exec(rest)?.[0];
    const integer = INTEGER.exec(rest)?.[0];
    const match = float !== undefined && float.length > (integer?.length ?? 0) ? float : integer;
    if (match === undefined) throw new NotALiteral();
    this.position += match.length;
    if (/^[A-Za-z0-9_.]/.test(this.peek())) throw new NotALiteral(); // `01`, `1x`, `1.2.3`
    const clean = match.replace(/_/g, "");
    if (match === float) return Number(clean);
    if (/^0[oO]/.test(clean)) return parseInt(clean.slice(2), 8);
    if (/^0[bB]/.test(clean)) return parseInt(clean.slice(2), 2);
    return Number(clean);
  }

  /** Adjacent string literals concatenate, as in Python. */
  private strings(): string {
    let result = "";
    do {
      result += this.string();
      this.skipSpace();
    } while (/^[rRuUbB]{0,2}['"]/.test(this.text.slice(this.position)));
    return result;
  }

  private string(): string {
    const prefix = /^[rRuUbB]{0,2}/.exec(this.text.slice(this.position))?.[0] ?? "";
    const raw = /[rR]/.test(prefix);
    this.position += prefix.length;
    const quote = this.peek();
    this.position++;
    let value = "";
    while (!this.atEnd()) {
      const char = this.peek();
      this.position++;
      if (char === quote) return value;
      if (char === "\n") break;
      if (char !== "\\") {
        value += char;
        continue;
      }
      const next = this.peek();
      this.position++;
      if (raw) value += char + next;
      else value += this.escape(next);
    }
    throw new NotALiteral();
  }

  private escape(next: string): string {
    const simple = SIMPLE_ESCAPES[next];
    if (simple !== undefined) return simple;
    const hexLength = next === "x" ? 2 : next === "u" ? 4 : next === "U" ? 8 : 0;
    if (hexLength > 0) {
      const digits = this.text.slice(this.position, this.position + hexLength);
      if (!new RegExp(`^[0-9a-fA-F]{${hexLength}}$`).test(digits)) throw new NotALiteral();
      this.position += hexLength;
      return String.fromCodePoint(parseInt(digits, 16));
    }
    return `\\${next}`; // Python keeps unknown escapes as written
  }

  private sequence(open: string, close: string): unknown {
    this.position++;
    const items: unknown[] = [];
    let trailingComma = false;
    for (;;) {
      this.skipSpace();
      if (this.peek() === close) break;
      items.push(this.expression());
      this.skipSpace();
      trailingComma = this.peek() === ",";
      if (trailingComma) this.position++;
      else if (this.peek() !== close) throw new NotALiteral();
    }
    this.position++;
    // `(x)` is just x; `(x,)` is a one-element tuple, which Ansible keeps as a list.
    return open === "(" && items.length === 1 && !trailingComma ? items[0] : items;
  }

  /** `{k: v}` is a dict; `{a, b}` a set, which Ansible turns into a list. */
  private braces(): unknown {
    this.position++;
    this.skipSpace();
    if (this.peek() === "}") {
      this.position++;
      return {};
    }
    const first = this.expression();
    this.skipSpace();
    return this.peek() === ":" ? this.dictAfter(first) : this.setAfter(first);
  }

  private dictAfter(firstKey: unknown): Record<string, unknown> {
    const dict: Record<string, unknown> = {};
    let key = firstKey;
    for (;;) {
      this.position++; // the ':'
      dict[String(key)] = this.expression();
      if (this.closeOrComma()) return dict;
      key = this.expression();
      this.skipSpace();
      if (this.peek() !== ":") throw new NotALiteral();
    }
  }

  private setAfter(first: unknown): unknown[] {
    const items = [first];
    while (!this.closeOrComma()) items.push(this.expression());
    return items;
  }

  /** After an item: consumes `}` (true) or `,` (false, or true for a trailing `,}`). */
  private closeOrComma(): boolean {
    this.skipSpace();
    if (this.peek() === "}") {
      this.position++;
      return true;
    }
    if (this.peek() !== ",") throw new NotALiteral();
    this.position++;
    this.skipSpace();
    if (this.peek() === "}") {
      this.position++;
      return true;
    }
    return false;
  }
}
