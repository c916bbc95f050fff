import { describe, expect, it } from "vitest";
import { flagValue, optionalFlag } from "../../../src/executor/flags.js";

const where = { file: "site.yaml", line: 3, column: 7 };

describe("templated keyword booleans", () => {
  it.each([
    [true, {}, true],
    ["{{ ansible_check_mode }}", { ansible_check_mode: false }, false],
    ["{{ x }}", { x: "yes" }, true],
    ["{{ x }}", { x: "No" }, false],
    ["{{ x }}", { x: 1 }, true],
    ["{{ x }}", { x: "maybe" }, false],
    ["{{ not a }}", { a: false }, true],
  ])("%s with %j is %s", (flag, vars, expected) => {
    expect(flagValue(flag, vars, where)).toBe(expected);
  });

  it("leaves an absent flag to the enclosing block", () => {
    expect(optionalFlag(undefined, {}, where)).toBeUndefined();
  });

  it("an undefined variable is a located error", () => {
    expect(() => flagValue("{{ nope }}", {}, where)).toThrow(/'nope' is undefined/);
  });
});
