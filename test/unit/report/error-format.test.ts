import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Chalk } from "chalk";
import { describe, expect, it } from "vitest";
import { OptionsError, ParseError } from "../../../src/errors.js";
import { codeFrame, formatError } from "../../../src/report/error-format.js";

const plain = new Chalk({ level: 0 });
const dir = mkdtempSync(join(tmpdir(), "ux-errors-"));
const file = join(dir, "site.yaml");
writeFileSync(file, ["- hosts: all", "  tasks:", "    - name: x", "      comand: echo hi", "", "# end"].join("\n"));

describe("one format for every user-facing error", () => {
  it("message, file:line:col, a code frame with a caret, and a hint", () => {
    const error = new ParseError("unknown module 'comand'", { location: { file, line: 4, column: 7 }, hint: "did you mean 'command'?" });
    expect(formatError(error, { color: plain, verbosity: 0 }).split("\n")).toEqual([
      "ERROR! unknown module 'comand'",
      `  --> ${file}:4:7`,
      "    2 |   tasks:",
      "    3 |     - name: x",
      "  > 4 |       comand: echo hi",
      "      |       ^",
      "    5 | ",
      "    6 | # end",
      "  hint: did you mean 'command'?",
    ]);
  });

  it("without a location: message and hint only", () => {
    const error = new OptionsError("--forks expects a positive whole number, got '0'", { hint: "e.g. --forks 10" });
    expect(formatError(error, { color: plain, verbosity: 0 })).toBe("ERROR! --forks expects a positive whole number, got '0'\n  hint: e.g. --forks 10");
  });

  it("an internal error shows its stack only at -vvv", () => {
    const error = new Error("boom");
    expect(formatError(error, { color: plain, verbosity: 0 })).toBe("ERROR! boom");
    expect(formatError(error, { color: plain, verbosity: 3 })).toContain("at ");
  });

  it("has no frame for a file that cannot be read", () => {
    expect(codeFrame({ file: join(dir, "missing.yaml"), line: 1, column: 1 })).toBeUndefined();
  });
});
