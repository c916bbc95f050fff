import { afterEach, describe, expect, it, vi } from "vitest";
import { main } from "../../../src/cli/main.js";
import packageJson from "../../../package.json" with { type: "json" };

describe("runbook --version", () => {
  afterEach(() => vi.restoreAllMocks());

  it("prints the package's version and exits 0", async () => {
    const written: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((text) => written.push(String(text)) > 0);
    expect(await main(["--version"])).toBe(0);
    expect(written.join("")).toBe(`runbook ${packageJson.version}\n`);
  });
});
