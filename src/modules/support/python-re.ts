/**
 * Python's `re` where modules need more of it than a pattern (replace): leading inline flags,
 * \A and \Z, and re.sub's replacement templates (\1, \g<name>, \g<0>, \n and the other escapes;
 * an unknown escape of a letter is an error, as in Python; a group that did not match is "").
 */
import { pythonRegExp } from "./schema.js";

const INLINE_FLAGS = /^\(\?([aiLmsux]+)\)/;

/**
 * Compiles a Python pattern with `flags` (JavaScript letters: "m" for re.MULTILINE, "s" for
 * re.DOTALL) plus any leading `(?ims)` of its own. Throws on what JavaScript cannot compile.
 */
export function pythonPattern(source: string, flags: string): RegExp {
  let extra = "";
  let body = source;
  const inline = INLINE_FLAGS.exec(source);
  if (inline !== null) {
    const letters = inline[1] ?? "";
    if (/[aLux]/.test(letters)) throw new Error(`inline flags (?${letters}) are not supported`);
    extra = letters;
    body = source.slice(inline[0].length);
  }
  const wanted = [...new Set([...flags, ...extra])].join("");
  return new RegExp(pythonRegExp(anchors(body)).source, wanted);
}

/** \A and \Z (start and very end of the text) in JavaScript's terms; an escaped backslash stays. */
function anchors(source: string): string {
  let out = "";
  for (let i = 0; i < source.length; i++) {
    const char = source[i];
    if (char !== "\\") {
      out += char;
      continue;
    }
    const next = source[i + 1] ?? "";
    i += 1;
    if (next === "A") out += "(?<![\\s\\S])";
    else if (next === "Z") out += "(?![\\s\\S])";
    else out += `\\${next}`;
  }
  return out;
}

type TemplatePart = { readonly text: string } | { readonly group: string | number };

const ESCAPES: Readonly<Record<string, string>> = { n: "\n", t: "\t", r: "\r", f: "\f", v: "\v", a: "\x07", b: "\b", "\\": "\\" };

/** Parses a Python replacement template; throws on a bad escape, as re.sub does. */
export function parseTemplate(template: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let text = "";
  const flush = (): void => {
    if (text !== "") parts.push({ text });
    text = "";
  };
  for (let i = 0; i < template.length; i++) {
    const char = template[i] ?? "";
    if (char !== "\\") {
      text += char;
      continue;
    }
    const rest = template.slice(i + 1);
    const named = /^g<([^>]*)>/.exec(rest);
    const numbered = /^(\d{1,2})/.exec(rest);
    if (named !== null) {
      const name = named[1] ?? "";
      if (!/^(\d+|[A-Za-z_]\w*)$/.test(name)) throw new Error(`bad character in group name '${name}'`);
      flush();
      parts.push({ group: /^\d+$/.test(name) ? Number(name) : name });
      i += named[0].length;
    } else if (numbered !== null && !/^0/.test(numbered[1] ?? "")) {
      flush();
      parts.push({ group: Number(numbered[1]) });
      i += (numbered[1] ?? "").length;
    } else if (/^0[0-7]{0,2}/.test(rest)) {
      const octal = /^0[0-7]{0,2}/.exec(rest)?.[0] ?? "0";
      text += String.fromCharCode(parseInt(octal, 8));
      i += octal.length;
    } else {
      const next = rest[0] ?? "";
      const escape = ESCAPES[next];
      if (escape !== undefined) text += escape;
      else if (/[A-Za-z]/.test(next)) throw new Error(`bad escape \\${next}`);
      else text += `\\${next}`;
      i += next === "" ? 0 : 1;
    }
  }
  flush();
  return parts;
}

/** The template filled in from one match (Python's match.expand). */
function expand(parts: readonly TemplatePart[], match: RegExpExecArray): string {
  return parts
    .map((part) => {
      if ("text" in part) return part.text;
      const value = typeof part.group === "number" ? match[part.group] : match.groups?.[part.group];
      if (value === undefined && typeof part.group === "number" && part.group >= match.length) throw new Error(`invalid group reference ${part.group}`);
      if (value === undefined && typeof part.group === "string" && !(part.group in (match.groups ?? {}))) throw new Error(`unknown group name '${part.group}'`);
      return value ?? "";
    })
    .join("");
}

/** re.subn(pattern, template, text): the new text and how many matches were replaced. */
export function pythonSub(pattern: RegExp, template: string, text: string): { readonly text: string; readonly count: number } {
  const parts = parseTemplate(template);
  const global = new RegExp(pattern.source, pattern.flags.includes("g") ? pattern.flags : `${pattern.flags}g`);
  let count = 0;
  let out = "";
  let last = 0;
  for (const match of text.matchAll(global)) {
    out += text.slice(last, match.index) + expand(parts, match as RegExpExecArray);
    last = match.index + match[0].length;
    count += 1;
  }
  return { text: out + text.slice(last), count };
}
