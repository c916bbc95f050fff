import { describe, expect, it } from "vitest";
import { z } from "zod";
import { intArg } from "../../../src/modules/support/schema.js";

const mtu = intArg("The MTU.", 68, 65535);
const metric = intArg("The metric.");

describe("intArg", () => {
  it.each([
    ["a number", mtu, 1500, 1500],
    ["a digit string from a template", mtu, "1500", 1500],
    ["the lower bound", mtu, 68, 68],
    ["zero, by default the lower bound", metric, 0, 0],
  ])("accepts %s", (_, schema, input, expected) => {
    expect(schema.parse(input)).toBe(expected);
  });

  it.each([
    ["a number below", mtu, 10, /from 68 to 65535/],
    ["a digit string below", mtu, "10", /from 68 to 65535/],
    ["a number above", mtu, 70000, /from 68 to 65535/],
    ["a fraction", mtu, 1500.5, /from 68 to 65535/],
    ["a negative number", metric, -1, /at least 0/],
    ["a word", metric, "ten", /at least 0/],
  ])("rejects %s", (_, schema, input, message) => {
    const result = schema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(message);
  });

  it("shows its bounds to editors on the number branch", () => {
    expect(z.toJSONSchema(mtu, { io: "input" })).toMatchObject({ anyOf: [{ type: "integer", minimum: 68, maximum: 65535 }, { type: "string", pattern: "^\\d+$" }] });
  });
});
