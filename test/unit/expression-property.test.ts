import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ParseError } from "../../src/errors.js";
import { evaluateExpression } from "../../src/template/index.js";

const where = { file: "fuzz.yml", line: 1, column: 1 };
const vars = { a: 1, b: "two", c: [1, 2], d: { e: { f: null } }, r: { failed: false, changed: true } };

/** Fragments of the language, so random strings often come close to real expressions. */
const fragment = fc.constantFrom(
  "a", "b", "c", "d", "e", "r", " ", "(", ")", "[", "]", "{", "}", ".", ",", ":", "'", '"', "|", "?",
  "and", "or", "not", "in", "is", "if", "else", "==", "!=", "<", ">=", "+", "-", "*", "/", "%",
  "defined", "none", "failed", "default", "length", "int", "bool", "0", "1", "-1", "True", "None",
  "__proto__", "constructor", "prototype", "this", "toString", "valueOf", "=", "!", "&&", "||", "~", "`", "\n",
);
const expression = fc.oneof(fc.string(), fc.array(fragment, { maxLength: 14 }).map((parts) => parts.join("")));

function prototypeSnapshot(): string[] {
  return [Object.prototype, Array.prototype, String.prototype, Function.prototype].map((proto) =>
    Object.getOwnPropertyNames(proto).sort().join(","),
  );
}

describe("evaluateExpression on arbitrary input", () => {
  it("throws nothing but ParseError and never changes built-in prototypes", () => {
    const before = prototypeSnapshot();
    fc.assert(
      fc.property(expression, (text) => {
        try {
          evaluateExpression(text, vars, where);
        } catch (error) {
          if (!(error instanceof ParseError)) throw error;
          expect(error.location?.file).toBe("fuzz.yml");
        }
        expect(prototypeSnapshot()).toEqual(before);
        expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
      }),
      { numRuns: 3000 },
    );
  }, 60_000);
});
