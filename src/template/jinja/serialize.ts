/** JSON and YAML text as Python's json.dumps and PyYAML's dump write them (Ansible's to_json / to_yaml). */
import { isPlainObject } from "../values.js";
import { pyStr } from "./python.js";

interface JsonOptions {
  readonly indent?: number | undefined;
  readonly sortKeys?: boolean;
}

function jsonString(text: string): string {
  // json.dumps escapes every non-ASCII character (ensure_ascii).
  return JSON.stringify(text).replace(/[\u007f-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

function jsonNumber(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (!Number.isFinite(value)) return value > 0 ? "Infinity" : "-Infinity";
  return String(value);
}

/** json.dumps(value, indent=..., sort_keys=...): ", " and ": " separators, or newlines with an indent. */
export function pyJson(value: unknown, options: JsonOptions, depth = 0): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") return jsonNumber(value);
  if (typeof value === "string") return jsonString(value);
  const indent = options.indent;
  const entries: [string | undefined, unknown][] = Array.isArray(value)
    ? value.map((item) => [undefined, item])
    : isPlainObject(value)
      ? Object.entries(value).sort(options.sortKeys ? (a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0) : () => 0)
      : [[undefined, pyStr(value)]];
  const [open, close] = Array.isArray(value) ? ["[", "]"] : ["{", "}"];
  if (entries.length === 0) return open + close;
  const parts = entries.map(([key, item]) => (key === undefined ? "" : `${jsonString(key)}: `) + pyJson(item, options, depth + 1));
  if (indent === undefined) return open + parts.join(", ") + close;
  const pad = " ".repeat(indent * (depth + 1));
  return `${open}\n${pad}${parts.join(`,\n${pad}`)}\n${" ".repeat(indent * depth)}${close}`;
}

interface YamlOptions {
  readonly indent: number;
  /** PyYAML's default_flow_style=None: collections of scalars inline ([a, b]); False: block style. */
  readonly flow: boolean;
}

const PLAIN_UNSAFE = /^(?:[-?:,[\]{}#&*!|>'"%@`\s]|$)|[:#]\s|\s$|^(?:true|false|yes|no|on|off|y|n|null|~|[-+]?(?:\d[\d_]*(?:\.\d*)?(?:e[-+]?\d+)?|\.\d+|\.inf|\.nan)|0x[0-9a-f]+|0o?[0-7]+)$/i;

function yamlScalar(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : String(value);
  const text = String(value);
  if (text.includes("\n") || [...text].some((ch) => ch.charCodeAt(0) < 9 || (ch.charCodeAt(0) >= 0x7f && ch.charCodeAt(0) <= 0x9f))) return JSON.stringify(text);
  if (!PLAIN_UNSAFE.test(text) && !text.includes(": ") && !text.endsWith(":")) return text;
  return `'${text.replace(/'/g, "''")}'`;
}

function isCollection(value: unknown): value is unknown[] | Record<string, unknown> {
  return Array.isArray(value) || isPlainObject(value);
}

function flowOf(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(flowOf).join(", ")}]`;
  if (isPlainObject(value)) return `{${Object.keys(value).sort().map((k) => `${yamlScalar(k)}: ${flowOf(value[k])}`).join(", ")}}`;
  return yamlScalar(value);
}

function inlineable(value: unknown, options: YamlOptions): boolean {
  if (!isCollection(value)) return true;
  const items = Array.isArray(value) ? value : Object.values(value);
  return items.length === 0 || (options.flow && items.every((item) => !isCollection(item)));
}

function yamlBlock(value: unknown, options: YamlOptions, indent: number): string[] {
  const pad = " ".repeat(indent);
  if (Array.isArray(value)) {
    return value.flatMap((item) => {
      if (inlineable(item, options)) return [`${pad}- ${isCollection(item) ? flowOf(item) : yamlScalar(item)}`];
      // PyYAML pads the dash to the indent width: "-   key: v" at indent 4.
      const [first = "", ...rest] = yamlBlock(item, options, indent + options.indent);
      return [`${pad}-${" ".repeat(options.indent - 1)}${first.trimStart()}`, ...rest];
    });
  }
  const dict = value as Record<string, unknown>;
  return Object.keys(dict).sort().flatMap((key) => {
    const item = dict[key];
    if (inlineable(item, options)) return [`${pad}${yamlScalar(key)}: ${isCollection(item) ? flowOf(item) : yamlScalar(item)}`];
    // PyYAML does not indent a list under its key; it indents a dict.
    return [`${pad}${yamlScalar(key)}:`, ...yamlBlock(item, options, Array.isArray(item) ? indent : indent + options.indent)];
  });
}

/** yaml.dump(value): block style, keys sorted, PyYAML's quoting of scalars. */
export function pyYaml(value: unknown, options: YamlOptions): string {
  if (!isCollection(value)) return `${yamlScalar(value)}\n${typeof value === "string" || value === null ? "...\n" : "...\n"}`;
  if (inlineable(value, options)) return `${flowOf(value)}\n`;
  return `${yamlBlock(value, options, 0).join("\n")}\n`;
}
