import { Chalk } from "chalk";
import { describe, expect, it } from "vitest";
import { formatRecap } from "../../../src/report/recap.js";
import { stats } from "./events.js";

const plain = new Chalk({ level: 0 });
const colored = new Chalk({ level: 1 });

describe("PLAY RECAP", () => {
  it("one aligned line per host, sorted with numbers in order (h2 before h10)", () => {
    const text = formatRecap(stats({ h10: { ok: 3, changed: 1 }, h2: { ok: 2 }, web1: { ok: 1, failed: 1 } }), plain);
    expect(text).toBe(
      [
        "",
        `PLAY RECAP ${"*".repeat(60)}`,
        "h2   :  ok=2  changed=0  unreachable=0  failed=0  skipped=0  rescued=0  ignored=0",
        "h10  :  ok=3  changed=1  unreachable=0  failed=0  skipped=0  rescued=0  ignored=0",
        "web1 :  ok=1  changed=0  unreachable=0  failed=1  skipped=0  rescued=0  ignored=0",
      ].join("\n"),
    );
  });

  it.each([
    ["failed", { ok: 1, failed: 1 }, "\u001b[31m"],
    ["unreachable", { unreachable: 1 }, "\u001b[31m"],
    ["changed", { ok: 2, changed: 1 }, "\u001b[33m"],
    ["ok", { ok: 2 }, "\u001b[32m"],
  ])("colours a host with %s results", (_what, counts, code) => {
    const line = formatRecap(stats({ h1: counts }), colored).split("\n")[2]!;
    expect(line.startsWith(`${code}h1`)).toBe(true);
  });

  it("paints only the counters that are not zero", () => {
    const line = formatRecap(stats({ h1: { ok: 1 } }), colored).split("\n")[2]!;
    expect(line).toContain("\u001b[32mok=1\u001b[39m");
    expect(line).toContain("  changed=0  ");
  });
});
