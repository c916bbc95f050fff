import { describe, expect, it } from "vitest";
import { ParseError } from "../../src/errors.js";
import { evaluateCondition, evaluateExpression } from "../../src/template/index.js";

const where = { file: "play.yml", line: 7, column: 13 };
const vars = {
  yes: true,
  no: false,
  zero: 0,
  one: 1,
  empty: "",
  text: "hello world",
  nothing: null,
  list: ["a", "b", 3],
  emptyList: [],
  dict: { key: "value", nested: { deep: 42 } },
  emptyDict: {},
  port: "8080",
  ok: { changed: false, failed: false, rc: 0 },
  broken: { changed: false, failed: true, rc: 2 },
  changedResult: { changed: true, failed: false },
  skippedResult: { skipped: true, changed: false },
  hostvars: { k18s01: { facts: { hostname: "k18s01" } } },
};

const evaluate = (expr: string): unknown => evaluateExpression(expr, vars, where);

function parseErrorOf(fn: () => unknown): ParseError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ParseError);
    return error as ParseError;
  }
  throw new Error("expected a ParseError");
}

describe("values", () => {
  it.each([
    ["'single'", "single"],
    ['"double"', "double"],
    ["42", 42],
    ["-1.5", -1.5],
    ["true", true],
    ["True", true],
    ["False", false],
    ["none", null],
    ["None", null],
    ["null", null],
    ["[1, 'a']", [1, "a"]],
    ["{'k': 1, 'l': [2]}", { k: 1, l: [2] }],
    ["{}", {}],
    ["dict.key", "value"],
    ["dict['key']", "value"],
    ['dict["nested"].deep', 42],
    ["list[0]", "a"],
    ["list[-1]", 3],
    ["hostvars['k18s01'].facts.hostname", "k18s01"],
    ["text[0]", "h"],
    ["1 + 2 * 3", 7],
    ["(1 + 2) * 3", 9],
    ["'a' + 'b'", "ab"],
    ["list + [4]", ["a", "b", 3, 4]],
    ["7 % 4", 3],
    ["'x' if yes else 'y'", "x"],
    ["'x' if no else 'y'", "y"],
    ["'x' if no else ('y' if no else 'z')", "z"],
    ["one or 'fallback'", 1],
    ["zero or 'fallback'", "fallback"],
    ["one and 'second'", "second"],
    ["empty and 'second'", ""],
  ])("%s -> %j", (expr, expected) => {
    expect(evaluate(expr)).toEqual(expected);
  });
});

describe("truthiness follows Python", () => {
  it.each([
    ["yes", true],
    ["no", false],
    ["zero", false],
    ["one", true],
    ["empty", false],
    ["text", true],
    ["nothing", false],
    ["list", true],
    ["emptyList", false],
    ["dict", true],
    ["emptyDict", false],
    ["'0'", true],
    ["'false'", true],
  ])("%s is %s", (expr, expected) => {
    expect(evaluateCondition(expr, vars, where)).toBe(expected);
  });

  it("passes booleans through", () => {
    expect(evaluateCondition(true, {}, where)).toBe(true);
    expect(evaluateCondition(false, {}, where)).toBe(false);
  });
});

describe("logic truth tables", () => {
  const bools = [true, false];
  describe.each(bools.flatMap((a) => bools.flatMap((b) => bools.map((c) => [a, b, c] as const))))("a=%s b=%s c=%s", (a, b, c) => {
    const abc = { a, b, c };
    it.each([
      ["a and b", a && b],
      ["a or b", a || b],
      ["not a", !a],
      ["a or b and not c", a || (b && !c)],
      ["(a or b) and not c", (a || b) && !c],
      ["not a and b", !a && b],
      ["not a or b", !a || b],
      ["not (a and b)", !(a && b)],
      ["not a == b", !(a === b)],
      ["a == b or c", a === b || c],
      ["not not a", a],
    ])("%s", (expr, expected) => {
      expect(evaluateCondition(expr, abc, where)).toBe(expected);
    });
  });
});

describe("conditions as people write them in playbooks", () => {
  const facts = {
    inventory_hostname: "k18s01",
    groups: { etcd: ["k18s01", "k18s02"], workers: [] },
    ansible_facts: { os_family: "Debian", distribution_major_version: "12" },
    result: { rc: 1, stdout: "some error here", changed: false, failed: true },
    install_docker: "yes",
    item: { name: "jq", state: "present" },
  };
  it.each([
    ["result.rc != 0 and 'error' not in result.stdout", false],
    ["result.rc != 0 and 'error' in result.stdout", true],
    ["ansible_facts['os_family'] == \"Debian\"", true],
    ["ansible_facts.distribution_major_version | int >= 12", true],
    ["inventory_hostname in groups['etcd']", true],
    ["inventory_hostname == groups['etcd'][0]", true],
    ["groups['workers'] | length == 0", true],
    ["install_docker | bool", true],
    ["(ansible_facts.os_family == 'RedHat') or (item.state == 'present')", true],
    ["not (proxy is defined)", true],
    ["proxy is defined and proxy | length > 0", false],
    ["proxy | default('') | length == 0", true],
    ["result is failed and not result.changed", true],
    ["item.name not in ['curl', 'wget']", true],
    ["not result.rc == 0", true],
    ["result.rc in [0, 1]", true],
  ])("%s -> %s", (expr, expected) => {
    expect(evaluateCondition(expr, facts, where)).toBe(expected);
  });
});

describe("comparisons and membership", () => {
  it.each([
    ["1 == 1", true],
    ["1 != 1", false],
    ["'a' == 'a'", true],
    ["[1, 2] == [1, 2]", true],
    ["{'a': 1} == {'a': 1}", true],
    ["dict == {'key': 'value'}", false],
    ["2 < 3", true],
    ["3 <= 3", true],
    ["4 > 5", false],
    ["5 >= 5", true],
    ["'abc' < 'abd'", true],
    ["port | int > 8000", true],
    ["'a' in list", true],
    ["3 in list", true],
    ["'z' in list", false],
    ["'z' not in list", true],
    ["'world' in text", true],
    ["'mars' not in text", true],
    ["'key' in dict", true],
    ["'other' in dict", false],
    ["'k18s01' in hostvars", true],
  ])("%s -> %s", (expr, expected) => {
    expect(evaluate(expr)).toBe(expected);
  });

  it.each([
    ["1 < 'a'", 2],
    ["1 in 2", 0],
    ["1 in text", 0],
  ])("%s is a located type error", (expr, column) => {
    const error = parseErrorOf(() => evaluate(expr));
    expect(error.location?.column).toBe(where.column + column);
  });
});

describe("tests with is", () => {
  it.each([
    ["dict is defined", true],
    ["missing is defined", false],
    ["missing is not defined", true],
    ["missing is undefined", true],
    ["missing.deeper.still is defined", false],
    ["dict.nested.deep is defined", true],
    ["dict.nested.missing is defined", false],
    ["dict.nested.deep.deeper is defined", false],
    ["dict['nope'] is not defined", true],
    ["list[10] is defined", false],
    ["nothing is none", true],
    ["dict is none", false],
    ["ok is succeeded", true],
    ["ok is success", true],
    ["broken is failed", true],
    ["broken is not failed", false],
    ["broken is succeeded", false],
    ["changedResult is changed", true],
    ["ok is changed", false],
    ["skippedResult is skipped", true],
    ["ok is skipped", false],
    ["text is string", true],
    ["one is number", true],
    ["dict is mapping", true],
    ["list is sequence", true],
    ["missing is defined and missing", false],
    ["missing is not defined or missing", true],
    ["not missing is defined", true],
  ])("%s -> %s", (expr, expected) => {
    expect(evaluate(expr)).toBe(expected);
  });

  it("needs a registered result for is failed", () => {
    expect(parseErrorOf(() => evaluate("text is failed")).message).toContain("registered result");
  });
});

describe("filters", () => {
  it.each([
    ["missing | default('x')", "x"],
    ["missing.deep | default('x')", "x"],
    ["missing | d(5)", 5],
    ["text | default('x')", "hello world"],
    ["empty | default('x')", ""],
    ["empty | default('x', true)", "x"],
    ["nothing | default('x')", null],
    ["missing | default([]) | length", 0],
    ["'yes' | bool", true],
    ["'no' | bool", false],
    ["'ON' | bool", true],
    ["1 | bool", true],
    ["port | int", 8080],
    ["'abc' | int", 0],
    ["'3.9' | int", 3],
    ["list | length", 3],
    ["text | length", 11],
    ["dict | length", 2],
    ["'MiXed' | lower", "mixed"],
    ["'MiXed' | upper", "MIXED"],
    ["'  pad  ' | trim", "pad"],
    ["text | upper | lower", "hello world"],
    ["list | join(',')", "a,b,3"],
    ["not '' | bool", true],
    ["list | length > 2", true],
    ["list | first", "a"],
  ])("%s -> %j", (expr, expected) => {
    expect(evaluate(expr)).toEqual(expected);
  });

  it("reports a filter given the wrong type", () => {
    const error = parseErrorOf(() => evaluate("one | length"));
    expect(error.message).toContain("length");
    expect(error.location?.column).toBe(where.column + 6);
  });
});

describe("undefined variables", () => {
  it.each([
    ["missing", "'missing' is undefined", 0],
    ["yes and missing", "'missing' is undefined", 8],
    ["dict.nope == 1", "'dict.nope' is undefined", 0],
    ["missing.deep", "'missing' is undefined", 0],
    ["'a' in missing", "'missing' is undefined", 7],
    ["missing | upper", "'missing' is undefined", 0],
  ])("%s: %s at column +%i", (expr, message, column) => {
    const error = parseErrorOf(() => evaluate(expr));
    expect(error.message).toBe(message);
    expect(error.location).toEqual({ file: "play.yml", line: 7, column: where.column + column });
    expect(error.hint).toContain("is defined");
  });

  it("short-circuits: the right side of a decided and/or is not evaluated", () => {
    expect(evaluate("no and missing")).toBe(false);
    expect(evaluate("yes or missing")).toBe(true);
  });
});

describe("'{{ }}' conditions", () => {
  it("strips the braces and evaluates the inside", () => {
    expect(evaluateCondition("{{ yes and not no }}", vars, where)).toBe(true);
    expect(evaluateCondition("{{ list | length == 3 }}", vars, where)).toBe(true);
  });

  it("reports columns in the original string", () => {
    const error = parseErrorOf(() => evaluateCondition("{{ missing }}", vars, where));
    expect(error.location?.column).toBe(where.column + 3);
  });
});

describe("rejected constructs", () => {
  it.each([
    ["a && b", 2, "not &&"],
    ["a || b", 3, "not &&"],
    ["!a", 0, "not &&"],
    ["a === b", 2, "write '=='"],
    ["a ?? b", 2, "not &&"],
    ["a & b", 2, "Jinja2"],
    ["a << 2", 3, "Jinja2"],
    ["print(1)", 0, "define it"],
    ["this", 0, "define it"],
    ["this.x", 0, "define it"],
    ["dict.__proto__", 0, "define it"],
    ["dict['__proto__']", 0, "define it"],
    ["dict.constructor", 0, "define it"],
    ["dict['constructor'].name", 0, "define it"],
    ["constructor", 0, "define it"],
    ["list.prototype", 0, "define it"],
    ["x | constructor", 4, "filters"],
    ["a = 1", 2, "Jinja2"],
    ["a b", 2, "Jinja2"],
    ["", 0, "Jinja2"],
    ["x | nosuch", 4, "filters"],
    ["x | defualt('a')", 4, "did you mean 'default'"],
    ["x is definde", 5, "did you mean 'defined'"],
    ["x | 3", 4, "Jinja2"],
    ["'a' else 'b'", 4, "Jinja2"],
    ["a[", 3, "Jinja2"],
    ["'unterminated", 0, "Jinja2"],
  ])("%s at +%i (hint: %s)", (expr, column, hint) => {
    const error = parseErrorOf(() => evaluateExpression(expr, { ...vars, a: 1, b: 2, x: 1 }, where));
    expect(error.location).toEqual({ file: "play.yml", line: 7, column: where.column + column });
    expect(error.hint).toContain(hint);
  });

  it("reports the second line of a multi-line expression", () => {
    const error = parseErrorOf(() => evaluateExpression("yes and\n  dict.__proto__", vars, where));
    expect(error.location).toEqual({ file: "play.yml", line: 8, column: 3 });
  });

  it("caches syntax errors but locates them for each caller", () => {
    const elsewhere = { file: "other.yml", line: 1, column: 1 };
    parseErrorOf(() => evaluateExpression("a && b", vars, where));
    expect(parseErrorOf(() => evaluateExpression("a && b", vars, elsewhere)).location).toEqual({ file: "other.yml", line: 1, column: 3 });
  });

  it("does not read inherited properties", () => {
    expect(evaluate("dict.toString is defined")).toBe(false);
    expect(evaluate("'hasOwnProperty' in dict")).toBe(false);
    expect(evaluate("list.length is defined")).toBe(false);
  });
});
