import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lastFailedFile, resolveLimit, writeLastFailed } from "../../../src/cli/last-failed.js";
import { emptyStats } from "../../../src/executor/events.js";
import { OptionsError } from "../../../src/errors.js";

describe("last-failed", () => {
  const cwd = mkdtempSync(join(tmpdir(), "rl-last-"));
  const stats = new Map([
    ["web10", { ...emptyStats(), failed: 1 }],
    ["web2", { ...emptyStats(), unreachable: 1 }],
    ["db", { ...emptyStats(), ok: 3 }],
  ]);

  it("records failed and unreachable hosts, one a line, in name order", () => {
    writeLastFailed(stats, lastFailedFile(cwd));
    expect(readFileSync(join(cwd, ".runbook", "last-failed"), "utf8")).toBe("web2\nweb10\n");
  });

  it("turns @last-failed and @FILE into a host list; other patterns pass through", () => {
    writeLastFailed(stats, lastFailedFile(cwd));
    expect(resolveLimit("@last-failed", cwd)).toBe("web2,web10");
    writeFileSync(join(cwd, "retry"), "# hosts\na\n\nb\n");
    expect(resolveLimit("@retry", cwd)).toBe("a,b");
    expect(resolveLimit("web*", cwd)).toBe("web*");
    expect(resolveLimit(undefined, cwd)).toBeUndefined();
  });

  it("an empty or missing file is an options error with a hint", () => {
    writeLastFailed(new Map(), lastFailedFile(cwd));
    expect(() => resolveLimit("@last-failed", cwd)).toThrow(OptionsError);
    expect(() => resolveLimit("@last-failed", cwd)).toThrow(/lists no hosts/);
    expect(() => resolveLimit("@nope", cwd)).toThrow(/cannot read/);
  });
});
