import { describe, expect, it } from "vitest";
import { runFixture } from "./helpers.js";

describe("throttle", () => {
  it("runs the task on one host at a time: no two hosts hold the lock together", async () => {
    const run = await runFixture("throttle.yaml");
    expect([...run.results("one at a time").values()].map((result) => result.status)).toEqual(["changed", "changed", "changed"]);
  });
});
