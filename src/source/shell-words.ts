/**
 * The one shell-word splitter: Python's `shlex.split` in POSIX mode, which Ansible uses for
 * the command module and INI inventory lines. Each word keeps the 0-based column it starts at,
 * so errors can point at it. Nothing is expanded and no shell ever runs.
 *
 * - outside quotes a backslash takes the next character literally (a final one is an error);
 * - inside '...' everything is literal; inside "..." a backslash escapes only `"` and `\`
 *   (shlex's rule, not the shell's: `"\$"` stays `\$`);
 * - `comments`: `#` outside quotes ends the line;
 * - `templates`: `{{ ... }}` outside quotes is kept whole, quotes and spaces in it included
 *   (Ansible's free-form arguments: `msg={{ a ~ ' b' }}` is one word).
 *
 * node-shlex (npm `shlex`) was considered: it gives no columns and knows no templates.
 */

export interface Word {
  readonly text: string;
  readonly column: number;
}

export interface SplitOptions {
  readonly comments?: boolean;
  readonly templates?: boolean;
}

export class ShellWordsError extends Error {
  readonly column: number;
  constructor(message: string, column: number) {
    super(message);
    this.name = "ShellWordsError";
    this.column = column;
  }
}

export function splitShellWords(line: string, options: SplitOptions = {}): Word[] {
  const words: Word[] = [];
  let current: { text: string; column: number } | undefined;
  let i = 0;
  const word = (at: number): { text: string; column: number } => (current ??= { text: "", column: at });
  while (i < line.length) {
    const char = line[i] ?? "";
    if (/\s/.test(char)) {
      if (current) words.push(current);
      current = undefined;
      i++;
    } else if (char === "#" && options.comments) {
      break;
    } else if (options.templates && line.startsWith("{{", i)) {
      const end = line.indexOf("}}", i + 2);
      if (end < 0) throw new ShellWordsError("no closing '}}' for '{{'", i);
      word(i).text += line.slice(i, end + 2);
      i = end + 2;
    } else if (char === "'" || char === '"') {
      i = quoted(line, i, word(i));
    } else if (char === "\\") {
      if (i + 1 >= line.length) throw new ShellWordsError("no character after the final backslash", i);
      word(i).text += line[i + 1];
      i += 2;
    } else {
      word(i).text += char;
      i++;
    }
  }
  if (current) words.push(current);
  return words;
}

/** Appends the quoted text that starts at `start` to `into`; returns the index after the closing quote. */
function quoted(line: string, start: number, into: { text: string }): number {
  const quote = line[start];
  for (let i = start + 1; i < line.length; i++) {
    const char = line[i];
    if (char === quote) return i + 1;
    if (quote === '"' && char === "\\" && (line[i + 1] === '"' || line[i + 1] === "\\")) {
      into.text += line[i + 1];
      i++;
    } else {
      into.text += char;
    }
  }
  throw new ShellWordsError(`no closing quotation mark for ${quote}`, start);
}
