import { describe, expect, it } from "vitest";
import { runFixture } from "./helpers.js";

describe("handlers with listen topics", () => {
  it("every handler listening to a notified topic runs, each once", async () => {
    const run = await runFixture("handlers-listen.yaml");
    expect(run.summary.exitCode).toBe(0);
    const handlers = run.order().filter((entry) => entry.startsWith("restart"));
    expect(handlers).toEqual(["restart a@h1", "restart b@h1"]);
  });
});

describe("force_handlers", () => {
  it("a host that failed after notifying still runs the handler, and stays failed", async () => {
    const run = await runFixture("force-handlers.yaml");
    expect(run.order().filter((entry) => entry.startsWith("restart")).sort()).toEqual(["restart@h1", "restart@h2"]);
    expect(run.summary.exitCode).toBe(2);
  });
});
