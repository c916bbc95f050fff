import { describe, expect, it } from "vitest";
import { parsedOnce, resultParsedOnce } from "../../../src/modules/support/parse-once.js";

describe("parsedOnce", () => {
  it("parses one result object once and another result again", () => {
    let calls = 0;
    const lengthOf = parsedOnce((stdout) => {
      calls += 1;
      return { length: stdout.length };
    });
    const shared = { rc: 0, stdout: "abc", stderr: "" };
    const first = lengthOf(shared);
    expect(lengthOf(shared)).toBe(first);
    expect(calls).toBe(1);
    expect(lengthOf({ ...shared })).toEqual({ length: 3 });
    expect(calls).toBe(2);
  });

  it("does not remember a parse that threw", () => {
    let calls = 0;
    const strict = parsedOnce((stdout) => {
      calls += 1;
      if (calls === 1) throw new Error(`bad ${stdout}`);
      return stdout;
    });
    const result = { rc: 0, stdout: "x", stderr: "" };
    expect(() => strict(result)).toThrow("bad x");
    expect(strict(result)).toBe("x");
  });

  it("resultParsedOnce sees the exit code and stderr too, once per result", () => {
    let calls = 0;
    const answer = resultParsedOnce((result) => {
      calls += 1;
      return `${result.rc}:${result.stderr}`;
    });
    const shared = { rc: 4, stdout: "", stderr: "gone" };
    expect(answer(shared)).toBe("4:gone");
    expect(answer(shared)).toBe("4:gone");
    expect(calls).toBe(1);
  });
});
