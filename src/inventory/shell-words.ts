/**
 * Splits an INI host line like Python's `shlex.split(line, comments=True)` (POSIX mode), which
 * is what Ansible uses: quotes group words and are removed, `#` outside quotes ends the line.
 * Each word keeps its 0-based start column so errors can point at it.
 */

export interface Word {
  readonly text: string;
  readonly column: number;
}

export class ShellWordsError extends Error {
  readonly column: number;
  constructor(message: string, column: number) {
    super(message);
    this.name = "ShellWordsError";
    this.column = column;
  }
}

export function splitShellWords(line: string, options: { comments: boolean } = { comments: true }): Word[] {
  const words: Word[] = [];
  let current: { text: string; column: number } | undefined;
  let quote: "'" | '"' | undefined;
  let quoteStart = 0;
  for (let i = 0; i < line.length; i++) {
    const char = line[i] ?? "";
    if (quote === "'") {
      if (char === "'") quote = undefined;
      else if (current) current.text += char;
      continue;
    }
    if (quote === '"') {
      if (char === '"') quote = undefined;
      else if (char === "\\" && (line[i + 1] === '"' || line[i + 1] === "\\")) {
        if (current) current.text += line[i + 1];
        i++;
      } else if (current) current.text += char;
      continue;
    }
    if (/\s/.test(char)) {
      if (current) words.push(current);
      current = undefined;
      continue;
    }
    if (char === "#" && options.comments) break;
    current ??= { text: "", column: i };
    if (char === "'" || char === '"') {
      quote = char;
      quoteStart = i;
    } else if (char === "\\") {
      if (i + 1 >= line.length) throw new ShellWordsError("no character after the final backslash", i);
      current.text += line[i + 1];
      i++;
    } else {
      current.text += char;
    }
  }
  if (quote !== undefined) throw new ShellWordsError(`no closing quotation mark for ${quote}`, quoteStart);
  if (current) words.push(current);
  return words;
}
