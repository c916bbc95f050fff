import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseKeyValues, splitWords } from "../../../src/playbook/freeform.js";

describe("splitWords", () => {
  it.each([
    ["a b  c", ["a", "b", "c"]],
    ['dest="/etc/my app.conf" mode=0644', ["dest=/etc/my app.conf", "mode=0644"]],
    ["msg='it is \"fine\"'", ['msg=it is "fine"']],
    ['msg="say \\"hi\\""', ['msg=say "hi"']],
    ['empty=""', ["empty="]],
    ["", []],
    ["msg={{ a }} b=1", ["msg={{ a }}", "b=1"]],
    ["msg={{ x | default('a b') }}", ["msg={{ x | default('a b') }}"]],
  ])("%j -> %j", (text, words) => {
    expect(splitWords(text)).toEqual(words);
  });

  it.each(['msg="open', "msg={{ open"])("reports an unterminated quote or template in %j", (text) => {
    expect(splitWords(text)).toBeUndefined();
  });
});

describe("parseKeyValues", () => {
  it("converts booleans and plain integers, keeps octal-looking modes as strings", () => {
    expect(parseKeyValues("force=yes backup=False port=22 mode=0644 name=web-1")).toEqual({
      ok: true,
      args: { force: true, backup: false, port: 22, mode: "0644", name: "web-1" },
    });
  });

  it.each([
    ["src=a dest", /"dest" is not key=value/],
    ["=value", /not key=value/],
    ["a=1 a=2", /given twice/],
    ["msg='open", /unterminated quote/],
  ])("rejects %j", (text, problem) => {
    const result = parseKeyValues(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problem).toMatch(problem);
  });

  it("round-trips any string value written in double quotes", () => {
    const key = fc.stringMatching(/^[a-z_][a-z0-9_]{0,8}$/);
    const value = fc.string().filter((text) => !/^(true|false|yes|no|0|-?[1-9]\d*)$/i.test(text));
    fc.assert(
      fc.property(fc.dictionary(key, value, { maxKeys: 4 }), (args) => {
        const text = Object.entries(args)
          .map(([name, item]) => `${name}="${item.replace(/["\\]/g, (char) => `\\${char}`)}"`)
          .join(" ");
        expect(parseKeyValues(text)).toEqual({ ok: true, args });
      }),
    );
  });
});
