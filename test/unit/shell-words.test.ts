/**
 * The one shell-word splitter (Python's shlex.split, POSIX mode). The three places that split
 * words (the command module, INI inventory lines, free-form arguments) once treated
 * backslashes three ways; each expectation below is what python3's shlex.split returns.
 */
import { describe, expect, it } from "vitest";
import { splitWords as commandWords } from "../../src/modules/command.js";
import { splitWords as freeFormWords } from "../../src/playbook/freeform.js";
import { splitShellWords } from "../../src/source/shell-words.js";

const BACKSLASHES: [string, string[]][] = [
  ["a\\ b", ["a b"]],
  ['x="c\\d"', ["x=c\\d"]],
  ["x=e\\\\f", ["x=e\\f"]],
  ['x="\\$HOME"', ["x=\\$HOME"]],
  ['x="say \\"hi\\""', ['x=say "hi"']],
  ["x='a\\b'", ["x=a\\b"]],
];

describe("shell words", () => {
  it.each(BACKSLASHES)("%j splits as shlex does, in all three places", (text, words) => {
    expect(commandWords(text)).toEqual(words);
    expect(freeFormWords(text)).toEqual(words);
    expect(splitShellWords(text, { comments: true }).map((word) => word.text)).toEqual(words);
  });

  it("keeps each word's column", () => {
    expect(splitShellWords("  h  a='1 2' \\#b").map((word) => [word.text, word.column])).toEqual([["h", 2], ["a=1 2", 5], ["#b", 13]]);
  });

  it("ends the line at # with comments, keeps it in a word without", () => {
    expect(splitShellWords('h x="a#b" #c', { comments: true }).map((word) => word.text)).toEqual(["h", "x=a#b"]);
    expect(splitShellWords("h #c").map((word) => word.text)).toEqual(["h", "#c"]);
  });

  it("keeps templates whole in free-form arguments", () => {
    expect(freeFormWords("msg={{ a ~ ' b' }} n=1")).toEqual(["msg={{ a ~ ' b' }}", "n=1"]);
    expect(freeFormWords("msg={{ a")).toBeUndefined();
  });

  it("points at an unterminated quote", () => {
    expect(() => splitShellWords("a 'b")).toThrow(expect.objectContaining({ column: 2 }));
  });
});
