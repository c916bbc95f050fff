/**
 * Ansible's free-form module arguments: `copy: src=a dest="/etc/my file"` is a mapping written
 * as one string. Tokens split on whitespace outside quotes and outside "{{ }}"; quotes group
 * and are removed, templates are kept whole (`msg={{ a }} b=1` has two words).
 */

export type FreeFormResult = { readonly ok: true; readonly args: Record<string, unknown> } | { readonly ok: false; readonly problem: string; readonly hint: string };

/** Splits on whitespace outside quotes and templates; undefined for an unterminated quote or "{{". */
export function splitWords(text: string): string[] | undefined {
  const words: string[] = [];
  let word = "";
  let inWord = false;
  let quote: string | undefined;
  let templateDepth = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i] ?? "";
    const pair = text.slice(i, i + 2);
    if (quote === undefined && (pair === "{{" || (pair === "}}" && templateDepth > 0))) {
      templateDepth += pair === "{{" ? 1 : -1;
      word += pair;
      inWord = true;
      i++;
    } else if (templateDepth > 0) {
      word += char; // quotes inside a template belong to the expression
    } else if (quote !== undefined) {
      if (char === "\\" && quote === '"' && i + 1 < text.length) {
        word += text[++i] ?? "";
      } else if (char === quote) {
        quote = undefined;
      } else {
        word += char;
      }
    } else if (char === '"' || char === "'") {
      quote = char;
      inWord = true;
    } else if (/\s/.test(char)) {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
    } else {
      word += char;
      inWord = true;
    }
  }
  if (quote !== undefined || templateDepth > 0) return undefined;
  if (inWord) words.push(word);
  return words;
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
