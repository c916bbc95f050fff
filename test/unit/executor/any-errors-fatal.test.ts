import { describe, expect, it } from "vitest";
import { runFixture } from "./helpers.js";

describe("any_errors_fatal on blocks and tasks", () => {
  it("one host's failure ends the play for the others; a templated value is rendered", async () => {
    const run = await runFixture("any-errors-fatal.yaml");
    const order = run.order();
    expect(order.filter((entry) => entry.startsWith("after"))).toEqual([]);
    expect(order).toContain("lenient@h3");
    expect(order).not.toContain("never@h3");
  });
});
