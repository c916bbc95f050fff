/**
 * The bad-input corpus: each test/fixtures/bad/<case>/ holds playbook.yaml (and any files it
 * names) plus expected.json: {message, line, column, hint?, file?}; message and hint are regexps.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ParseError } from "../../../src/errors.js";
import { loadPlaybook } from "../../../src/playbook/load.js";
import { fakeCatalog } from "./fake-catalog.js";
import { fixtures } from "./helpers.js";

interface Expected {
  readonly message: string;
  readonly line: number;
  readonly column: number;
  readonly hint?: string;
  /** The file the error is in, relative to the case; default playbook.yaml. */
  readonly file?: string;
}

const corpus = join(fixtures, "bad");
const cases = readdirSync(corpus).map((name) => {
  const expected = JSON.parse(readFileSync(join(corpus, name, "expected.json"), "utf8")) as Expected;
  return { name, expected };
});

function loadError(file: string): unknown {
  try {
    loadPlaybook(file, { catalog: fakeCatalog, rolesPath: [] });
  } catch (error) {
    return error;
  }
  return undefined;
}

describe("bad playbooks", () => {
  it("has a corpus of at least 25 cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(25);
  });

  describe.each(cases)("$name", ({ name, expected }) => {
    const dir = join(corpus, name);
    it("fails with a located ParseError and a hint", () => {
      const error = loadError(join(dir, "playbook.yaml"));
      expect(error).toBeInstanceOf(ParseError);
      const parseError = error as ParseError;
      expect(parseError.message).toMatch(new RegExp(expected.message));
      expect(parseError.location).toEqual({ file: join(dir, expected.file ?? "playbook.yaml"), line: expected.line, column: expected.column });
      if (expected.hint !== undefined) expect(parseError.hint).toMatch(new RegExp(expected.hint));
    });
  });
});
