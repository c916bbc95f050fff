/**
 * The sysctl file as Ansible's sysctl module reads and writes it (pure text functions).
 *
 * A line is a setting when it is not blank, does not start with `#` or `;`, and holds a `=`;
 * key and value are trimmed. When the key's value must change, the whole file is rewritten:
 * every line trimmed, each setting as `key=value`, only the first line of a key kept (with its
 * own value, or the new value for the task's key), the task's key appended when the file lacks
 * it. A file whose value is already right is left byte for byte.
 */

interface Setting {
  readonly key: string;
  readonly value: string;
}

/** The setting on a line, or undefined for a comment, a blank line or a line without `=`. */
function settingOf(line: string): Setting | undefined {
  const trimmed = line.trim();
  if (trimmed === "" || trimmed.startsWith("#") || trimmed.startsWith(";") || !trimmed.includes("=")) return undefined;
  const at = trimmed.indexOf("=");
  return { key: trimmed.slice(0, at).trim(), value: trimmed.slice(at + 1).trim() };
}

function linesOf(text: string): string[] {
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** The value the file gives `key` (its last line wins, as a later line does for `sysctl -p`); undefined when none. */
export function sysctlFileValue(text: string, key: string): string | undefined {
  let value: string | undefined;
  for (const line of linesOf(text)) {
    const setting = settingOf(line);
    if (setting?.key === key) value = setting.value;
  }
  return value;
}

/** The whole file rewritten with `key` set to `value`, or without it when `value` is undefined. */
export function rewriteSysctlFile(text: string, key: string, value: string | undefined): string {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const line of linesOf(text)) {
    const setting = settingOf(line);
    if (setting === undefined) {
      out.push(line.trim());
    } else if (!seen.has(setting.key)) {
      seen.add(setting.key);
      if (setting.key !== key) out.push(`${setting.key}=${setting.value}`);
      else if (value !== undefined) out.push(`${key}=${value}`);
    }
  }
  if (!seen.has(key) && value !== undefined) out.push(`${key}=${value}`);
  return out.map((line) => `${line}\n`).join("");
}

const TRUE_WORDS = new Set(["y", "yes", "on", "1", "true", "t"]);
const FALSE_WORDS = new Set(["n", "no", "off", "0", "false", "f"]);

/** A task's value as Ansible's sysctl takes it: booleans and yes/no words as 1/0, strings trimmed. */
export function sysctlValue(value: string | number | boolean): string {
  if (typeof value === "boolean") return value ? "1" : "0";
  const text = String(value);
  if (TRUE_WORDS.has(text.toLowerCase())) return "1";
  if (FALSE_WORDS.has(text.toLowerCase())) return "0";
  return text.trim();
}
