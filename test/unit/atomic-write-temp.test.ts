import { basename, dirname } from "node:path";
import { describe, expect, it } from "vitest";
import { tempPathFor } from "../../src/transport/atomic-write.js";

describe("tempPathFor", () => {
  it.each([
    ["a short name", "app.conf"],
    ["a 255-byte name", "x".repeat(255)],
    ["a long multi-byte name", "é".repeat(127)],
  ])("keeps the temp name within 255 bytes, beside the target, for %s", (_name, name) => {
    const temp = tempPathFor(`/etc/some dir/${name}`);
    expect(dirname(temp)).toBe("/etc/some dir");
    expect(Buffer.byteLength(basename(temp))).toBeLessThanOrEqual(255);
    expect(basename(temp)).toMatch(/^\..*\.runbook-[0-9a-f]{12}\.tmp$/);
    expect(basename(temp)).not.toContain("\uFFFD");
  });
});
