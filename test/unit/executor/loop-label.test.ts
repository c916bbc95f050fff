import { describe, expect, it } from "vitest";
import { runFixture } from "./helpers.js";

describe("loop item labels", () => {
  it("show loop_control.label rendered per item, and an item on one line without one", async () => {
    const run = await runFixture("loop-label.yaml");
    expect(run.summary.exitCode).toBe(0);
    const items = (task: string): (string | undefined)[] =>
      run.events.flatMap((event) => (event.type === "item-result" && event.task.name === task ? [event.result.item] : []));
    expect(items("labelled")).toEqual(["alpha", "beta"]);
    expect(items("unlabelled")).toEqual(["two\\nlines"]);
  });
});
