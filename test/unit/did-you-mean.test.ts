import { describe, expect, it } from "vitest";
import { didYouMean, editDistance } from "../../src/errors.js";

describe("didYouMean", () => {
  it("counts two swapped neighbours as one edit", () => {
    expect(editDistance("cpoy", "copy")).toBe(1);
    expect(editDistance("sate", "state")).toBe(1);
    expect(editDistance("kitten", "sitting")).toBe(3);
  });

  it("suggests the module a swap away", () => {
    expect(didYouMean("cpoy", ["command", "copy", "file", "template"])).toBe("did you mean 'copy'?");
  });

  it("offers every name equally near", () => {
    expect(didYouMean("stat", ["state", "stats", "path"])).toBe("did you mean 'state' or 'stats'?");
  });

  it("offers nothing when no name is near", () => {
    expect(didYouMean("zzzz", ["copy", "file"])).toBeUndefined();
  });
});
