/**
 * Python's value semantics, as Jinja2 (running on Python) gives them to Ansible templates:
 * str() and repr() of values, comparisons, arithmetic and `%` formatting. JavaScript values
 * stand for Python's: string, number (int when whole), boolean, null (None), arrays (list),
 * plain objects (dict).
 */
import { isPlainObject, valuesEqual, ValueProblem } from "../values.js";

/** Python's type name, as in Ansible's type_debug and in TypeError messages. */
export function pyType(value: unknown): string {
  if (value === null || value === undefined) return "NoneType";
  if (typeof value === "boolean") return "bool";
  if (typeof value === "number") return Number.isInteger(value) ? "int" : "float";
  if (typeof value === "string") return "str";
  if (Array.isArray(value)) return "list";
  if (isPlainObject(value)) return "dict";
  return "object";
}

function quoteString(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of text) {
    if (ch === quote || ch === "\\") out += `\\${ch}`;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\r") out += "\\r";
    else out += ch;
  }
  return out + quote;
}

function numberText(value: number): string {
  if (Number.isNaN(value)) return "nan";
  if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
  return String(value);
}

const TUPLE = Symbol("tuple");

/** Marks a list as a Python tuple (dict.items(), zip, dictsort...), which prints in parentheses. */
export function tuple<T extends unknown[]>(items: T): T {
  Object.defineProperty(items, TUPLE, { value: true });
  return items;
}

/** Python's repr(): how a value reads inside a printed list or dict. */
export function pyRepr(value: unknown): string {
  if (typeof value === "string") return quoteString(value);
  if (Array.isArray(value) && TUPLE in value) return value.length === 1 ? `(${pyRepr(value[0])},)` : `(${value.map(pyRepr).join(", ")})`;
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(", ")}]`;
  if (isPlainObject(value)) return `{${Object.entries(value).map(([k, v]) => `${quoteString(k)}: ${pyRepr(v)}`).join(", ")}}`;
  return pyStr(value);
}

/** Python's str(): what `{{ x }}` prints (Ansible prints None as an empty string, see output()). */
export function pyStr(value: unknown): string {
  if (value === null || value === undefined) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (typeof value === "number") return numberText(value);
  if (typeof value === "string") return value;
  if (Array.isArray(value) || isPlainObject(value)) return pyRepr(value);
  return String(value);
}

/** Python's ==: True == 1 as in Python; lists and dicts structurally. */
export function pyEqual(a: unknown, b: unknown): boolean {
  if (typeof a === "boolean" && typeof b === "number") return Number(a) === b;
  if (typeof a === "number" && typeof b === "boolean") return a === Number(b);
  return valuesEqual(a, b);
}

function typeError(op: string, a: unknown, b: unknown): ValueProblem {
  return new ValueProblem(`'${op}' not supported between instances of '${pyType(a)}' and '${pyType(b)}'`, "convert first, e.g. '| int' or '| string'");
}

function isNumber(value: unknown): value is number | boolean {
  return typeof value === "number" || typeof value === "boolean";
}

/** Python's ordering: numbers with numbers, strings with strings, lists item by item. */
export function pyCompare(op: string, a: unknown, b: unknown): number {
  if (isNumber(a) && isNumber(b)) return Number(a) - Number(b);
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      if (!pyEqual(a[i], b[i])) return pyCompare(op, a[i], b[i]);
    }
    return a.length - b.length;
  }
  throw typeError(op, a, b);
}

export function pyAdd(a: unknown, b: unknown): unknown {
  if (isNumber(a) && isNumber(b)) return Number(a) + Number(b);
  if (typeof a === "string" && typeof b === "string") return a + b;
  if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
  throw new ValueProblem(`unsupported operand types for +: '${pyType(a)}' and '${pyType(b)}'`, "use '~' to join text: a ~ b");
}

export function pyArithmetic(op: "-" | "*" | "/" | "//" | "%" | "**", a: unknown, b: unknown): unknown {
  if (op === "*" && typeof b === "number" && (typeof a === "string" || Array.isArray(a))) return repeat(a, b);
  if (op === "%" && typeof a === "string") return pyFormat(a, b);
  if (!isNumber(a) || !isNumber(b)) throw new ValueProblem(`unsupported operand types for ${op}: '${pyType(a)}' and '${pyType(b)}'`);
  const x = Number(a);
  const y = Number(b);
  if ((op === "/" || op === "//" || op === "%") && y === 0) throw new ValueProblem("division by zero");
  switch (op) {
    case "-":
      return x - y;
    case "*":
      return x * y;
    case "/":
      return x / y;
    case "//":
      return Math.floor(x / y);
    case "%":
      return x - y * Math.floor(x / y);
    case "**":
      return x ** y;
  }
}

function repeat(value: string | unknown[], times: number): string | unknown[] {
  if (typeof value === "string") return value.repeat(Math.max(0, times));
  return Array.from({ length: Math.max(0, times) }, () => value).flat();
}

/** printf-style formatting: '%s-%d' % (a, b), '%(name)s' % dict. */
export function pyFormat(format: string, args: unknown): string {
  const positional = Array.isArray(args) ? [...args] : [args];
  let next = 0;
  return format.replace(/%(\([^)]*\))?([-+ 0#]*)(\d+)?(?:\.(\d+))?([sdirfxXeg%])/g, (_, key: string | undefined, flags: string, width: string | undefined, precision: string | undefined, kind: string) => {
    if (kind === "%") return "%";
    const value = key !== undefined && isPlainObject(args) ? args[key.slice(1, -1)] : positional[next++];
    let text: string;
    if (kind === "s") text = pyStr(value);
    else if (kind === "r") text = pyRepr(value);
    else if (kind === "d" || kind === "i") text = String(Math.trunc(Number(value)));
    else if (kind === "f") text = Number(value).toFixed(precision === undefined ? 6 : Number(precision));
    else if (kind === "x" || kind === "X") text = Math.trunc(Number(value)).toString(16)[kind === "X" ? "toUpperCase" : "toLowerCase"]();
    else text = String(value);
    const size = width === undefined ? 0 : Number(width);
    return flags.includes("-") ? text.padEnd(size) : text.padStart(size, flags.includes("0") && kind !== "s" ? "0" : " ");
  });
}

/** Membership: `x in list`, substring in text, key in dict. */
export function pyContains(container: unknown, item: unknown): boolean {
  if (Array.isArray(container)) return container.some((element) => pyEqual(element, item));
  if (typeof container === "string") {
    if (typeof item !== "string") throw new ValueProblem(`'in <string>' requires string as left operand, not ${pyType(item)}`);
    return container.includes(item);
  }
  if (isPlainObject(container)) return (typeof item === "string" || typeof item === "number") && Object.hasOwn(container, String(item));
  throw new ValueProblem(`argument of type '${pyType(container)}' is not iterable`);
}
