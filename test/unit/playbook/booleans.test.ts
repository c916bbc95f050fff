import { describe, expect, it } from "vitest";
import { BOOL_SPELLINGS, boolWord } from "../../../src/playbook/booleans.js";
import { boolish } from "../../../src/modules/support/schema.js";
import { boolWords } from "../../../src/schema/json-schema.js";
import { asBoolean } from "../../../src/inventory/var-checks.js";
import { FILTERS } from "../../../src/template/filters.js";

describe("boolean words", () => {
  it.each([
    ["yes", true], ["Yes", true], ["TRUE", true], ["on", true], ["y", true], ["t", true], ["1", true],
    ["no", false], ["False", false], ["OFF", false], ["n", false], ["f", false], ["0", false],
    ["maybe", undefined], ["", undefined], ["yes ", undefined],
  ])("boolWord(%j) is %s", (word, expected) => {
    expect(boolWord(word)).toBe(expected);
  });

  it("module arguments take every spelling an editor offers, and read it as the loader does", () => {
    const schema = boolish("x");
    for (const spelling of BOOL_SPELLINGS) expect(schema.parse(spelling)).toBe(boolWord(spelling));
    expect(schema.safeParse("maybe").success).toBe(false);
  });

  it("offers lower, Capitalised and UPPER spellings to editors", () => {
    expect(BOOL_SPELLINGS).toEqual(expect.arrayContaining(["yes", "Yes", "YES", "off", "Off", "OFF", "y", "Y", "1"]));
    expect(boolWords).toEqual({ anyOf: [{ type: "boolean" }, { type: "string", enum: [...BOOL_SPELLINGS] }] });
  });
});

describe("one list everywhere a boolean is read", () => {
  it("inventory variables, the bool filter and module arguments agree on every word", () => {
    const schema = boolish("x");
    for (const spelling of BOOL_SPELLINGS) {
      const expected = boolWord(spelling);
      expect(asBoolean("v", spelling)).toBe(expected);
      expect(FILTERS["bool"]?.(spelling)).toBe(expected);
      expect(schema.parse(spelling)).toBe(expected);
    }
  });
});
