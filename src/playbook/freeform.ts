/**
 * Ansible's free-form module arguments: `copy: src=a dest="/etc/my file"` is a mapping written
 * as one string, split into words by the one splitter (source/shell-words.ts): quotes group
 * and are removed, templates are kept whole (`msg={{ a }} b=1` has two words).
 */
import { ShellWordsError, splitShellWords } from "../source/shell-words.js";

export type FreeFormResult = { readonly ok: true; readonly args: Record<string, unknown> } | { readonly ok: false; readonly problem: string; readonly hint: string };

/** Splits like shlex, keeping "{{ }}" whole; undefined for an unterminated quote or "{{". */
export function splitWords(text: string): string[] | undefined {
  try {
    return splitShellWords(text, { templates: true }).map((word) => word.text);
  } catch (error) {
    if (error instanceof ShellWordsError) return undefined;
    throw error;
  }
}

/**
 * `key=value` words to a mapping. Values stay strings except true/false/yes/no (booleans) and
 * plain integers without a leading zero, so `mode=0644` stays the string "0644".
 */
export function parseKeyValues(text: string): FreeFormResult {
  const words = splitWords(text);
  if (words === undefined) return { ok: false, problem: "unterminated quote or '{{' in free-form arguments", hint: "close the quote, or write the arguments as a mapping" };
  const args: Record<string, unknown> = {};
  for (const word of words) {
    const equals = word.indexOf("=");
    if (equals <= 0) {
      return { ok: false, problem: `free-form argument ${JSON.stringify(word)} is not key=value`, hint: "write 'key=value' pairs, or the arguments as a mapping" };
    }
    const key = word.slice(0, equals);
    if (key in args) return { ok: false, problem: `argument '${key}' is given twice`, hint: "give each argument once" };
    args[key] = scalar(word.slice(equals + 1));
  }
  return { ok: true, args };
}

function scalar(text: string): unknown {
  const lower = text.toLowerCase();
  if (lower === "true" || lower === "yes") return true;
  if (lower === "false" || lower === "no") return false;
  if (/^(0|-?[1-9]\d{0,14})$/.test(text)) return Number(text);
  return text;
}
