import { describe, expect, it } from "vitest";
import { MASK, maskedWriter, maskSecrets } from "../../../src/report/mask.js";

describe("maskSecrets", () => {
  it.each([
    ["plain", "password is hunter22.", ["hunter22"], `password is ${MASK}.`],
    ["longest first", "abcdef abc", ["abc", "abcdef"], `${MASK} ${MASK}`],
    ["JSON-escaped", JSON.stringify({ v: 'a"b\nc' }), ['a"b\nc'], `{"v":"${MASK}"}`],
    ["too short to mask", "no 12 here", ["12"], "no 12 here"],
  ])("%s", (_name, text, secrets, expected) => {
    expect(maskSecrets(text, secrets)).toBe(expected);
  });

  it("a writer masks secrets added after it was made", () => {
    const out: string[] = [];
    const secrets = new Set<string>();
    const write = maskedWriter((text) => out.push(text), secrets);
    secrets.add("topsecret");
    write("x topsecret y");
    expect(out).toEqual([`x ${MASK} y`]);
  });
});
