import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ParseError } from "../../src/errors.js";
import { parseHostEntry } from "../../src/inventory/host-entry.js";
import { iniValue } from "../../src/inventory/python-literal.js";
import { expandHostRange } from "../../src/inventory/ranges.js";
import { splitShellWords as split, type SplitOptions } from "../../src/source/shell-words.js";

const splitShellWords = (line: string, options: SplitOptions = { comments: true }) => split(line, options);

const where = { file: "hosts", line: 1, column: 1 };

describe("iniValue (Python's ast.literal_eval, else the text)", () => {
  it.each<[string, unknown]>([
    ["22", 22],
    ["-1", -1],
    ["+7", 7],
    ["1_000", 1000],
    ["0x1f", 31],
    ["0o17", 15],
    ["0b101", 5],
    ["0", 0],
    ["00", 0],
    ["022", "022"],
    ["1.5", 1.5],
    [".5", 0.5],
    ["1e3", 1000],
    ["1.2.3", "1.2.3"],
    ["10.0.0.1", "10.0.0.1"],
    ["True", true],
    ["False", false],
    ["None", null],
    ["true", "true"],
    ["yes", "yes"],
    ["'single'", "single"],
    ['"double"', "double"],
    ["'a' 'b'", "ab"],
    ["'tab\\there'", "tab\there"],
    ["'\\x41\\u00e9'", "Aé"],
    ["r'raw\\n'", "raw\\n"],
    ["'unknown \\d escape'", "unknown \\d escape"],
    ["'unclosed", "'unclosed"],
    ["[1, 'two', [3]]", [1, "two", [3]]],
    ["[1, 2,]", [1, 2]],
    ["(1, 2)", [1, 2]],
    ["(5)", 5],
    ["(5,)", [5]],
    ["{'a': 1, 'b': [True]}", { a: 1, b: [true] }],
    ["{'a': 1,}", { a: 1 }],
    ["{}", {}],
    ["{1, 2}", [1, 2]],
    ["{a: 1}", "{a: 1}"],
    ["[1, 2", "[1, 2"],
    ["5 # a comment", 5],
    ["hello world", "hello world"],
    ["", ""],
    ["--foo", "--foo"],
    ["/usr/bin/python3", "/usr/bin/python3"],
    ["...", "..."],
  ])("%j -> %j", (text, expected) => {
    expect(iniValue(text)).toEqual(expected);
  });
});

describe("splitShellWords (shlex.split with comments)", () => {
  it.each<[string, string[]]>([
    ["h a=1 b=2", ["h", "a=1", "b=2"]],
    ["h a='x y' b=\"p q\"", ["h", "a=x y", "b=p q"]],
    ["h a=x#comment b=1", ["h", "a=x"]],
    ["h # trailing comment", ["h"]],
    ["h a='#not a comment'", ["h", "a=#not a comment"]],
    ['h a="say \\"hi\\" \\n"', ["h", 'a=say "hi" \\n']],
    ["h a=one\\ word", ["h", "a=one word"]],
    ["h a=''", ["h", "a="]],
  ])("%j -> %j", (line, expected) => {
    expect(splitShellWords(line).map((word) => word.text)).toEqual(expected);
  });

  it("keeps each word's column", () => {
    expect(splitShellWords("  h  a=1").map((word) => word.column)).toEqual([2, 5]);
  });

  it.each(["h a='open", 'h a="open', "h a\\"])("rejects %j", (line) => {
    expect(() => splitShellWords(line)).toThrow();
  });
});

describe("expandHostRange", () => {
  it.each<[string, string[]]>([
    ["web", ["web"]],
    ["web[1:3]", ["web1", "web2", "web3"]],
    ["web[01:03]", ["web01", "web02", "web03"]],
    ["web[:2]", ["web0", "web1", "web2"]],
    ["web[0:10:5]", ["web0", "web5", "web10"]],
    ["db-[a:c]-x", ["db-a-x", "db-b-x", "db-c-x"]],
    ["[A:B][1:2]", ["A1", "A2", "B1", "B2"]],
    ["10.0.0.[1:3]", ["10.0.0.1", "10.0.0.2", "10.0.0.3"]],
  ])("%j -> %j", (pattern, expected) => {
    expect(expandHostRange(pattern, where)).toEqual(expected);
  });

  it.each<[string, RegExp]>([
    ["web[1]", /must be begin:end or begin:end:step/],
    ["web[1:2:3:4]", /must be begin:end or begin:end:step/],
    ["web[1:]", /has no end value/],
    ["web[1:3:0]", /step '0' .* must be a positive integer/],
    ["web[1:c]", /must use numbers or single letters/],
    ["web[c:a]", /must have begin <= end/],
    ["web[5:1]", /is empty/],
    ["web[01:1000]", /equal-length/],
    ["web[1:3", /unclosed host range/],
  ])("rejects %j", (pattern, message) => {
    expect(() => expandHostRange(pattern, where)).toThrow(ParseError);
    expect(() => expandHostRange(pattern, where)).toThrow(message);
  });
});

describe("parseHostEntry", () => {
  it.each<[string, { names: string[]; port?: number }]>([
    ["web1", { names: ["web1"] }],
    ["web1:2222", { names: ["web1"], port: 2222 }],
    ["web[1:2]:2222", { names: ["web1", "web2"], port: 2222 }],
    ["10.0.0.[1:2]", { names: ["10.0.0.1", "10.0.0.2"] }],
    ["fe80::1", { names: ["fe80::1"] }],
    ["[fe80::1]:2222", { names: ["fe80::1"], port: 2222 }],
  ])("%j -> %j", (entry, expected) => {
    expect(parseHostEntry(entry, where)).toEqual(expected.port === undefined ? { names: expected.names } : expected);
  });
});

describe("properties", () => {
  it("a numeric range has end - begin + 1 names, zero-padded to the begin's width", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 50 }), fc.boolean(), (begin, length, pad) => {
        const end = begin + length;
        const width = String(end).length + 1;
        const text = (n: number) => (pad ? String(n).padStart(width, "0") : String(n));
        const names = expandHostRange(`n[${text(begin)}:${text(end)}]`, where);
        expect(names).toHaveLength(length + 1);
        expect(names[0]).toBe(`n${text(begin)}`);
        expect(names.at(-1)).toBe(`n${text(end)}`);
      }),
    );
  });

  it("integers and quoted strings round-trip through iniValue", () => {
    fc.assert(fc.property(fc.integer(), (n) => iniValue(String(n)) === n));
    fc.assert(fc.property(fc.string().filter((s) => !/['\\\n\r]/.test(s)), (s) => iniValue(`'${s}'`) === s));
  });
});
