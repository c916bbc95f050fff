import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { keptVerdictsUsed } from "../../../src/executor/prepared-ahead.js";
import { runFixture } from "./helpers.js";

const read = (root: string, name: string): string => readFileSync(join(root, name), "utf8").trim();

describe("verdicts prepared ahead and kept for the run", () => {
  it("are used, and prepared again once a register, another host's variables or a controller file changed", async () => {
    const before = keptVerdictsUsed();
    const first = await runFixture("prepared-ahead.yaml");
    // the rerun reads ahead where the first run changed hosts (and batched)
    const rerun = await runFixture("prepared-ahead.yaml", {}, first.root);
    expect(keptVerdictsUsed()).toBeGreaterThan(before);
    for (const run of [first, rerun]) {
      expect(run.summary.exitCode).toBe(0);
      for (const host of ["h1", "h2", "h3"]) {
        expect(read(run.root, `${host}-own`)).toBe("new");
        expect(read(run.root, `${host}-other`)).toBe("new");
        expect(read(run.root, `${host}-lookup`)).toBe("new");
      }
      expect([...run.results("condition").values()].map((result) => result.status)).toEqual(["skipped", "skipped", "skipped"]);
    }
  });
});
