/** The stress test's pure comparisons and its tree dump format (test/stress/compare.ts, tree.ts). */
import { describe, expect, it } from "vitest";
import type { JsonReport, JsonTask } from "../../../src/report/json.js";
import { firstFailure, firstItemDifference, firstResultDifference, firstTreeDifference, itemResultsByHost, unexpectedChanges } from "../../stress/compare.js";
import { formatDump } from "../../stress/tree.js";

const LABELS = ["on", "off"] as const;

function report(results: readonly [string, string, string, string?][], exitCode = 0): JsonReport {
  const tasks: JsonTask[] = results.map(([host, task, status, msg]) => ({ host, play: "p", role: null, task, module: "file", status, startedAt: 0, durationMs: 1, ...(msg ? { msg } : {}) }));
  const hosts: JsonReport["hosts"] = {};
  for (const [host] of results) hosts[host] = { ok: 0, changed: 0, failed: 0, skipped: 0, unreachable: 0, rescued: 0, ignored: 0 };
  return { exitCode, interrupted: false, hosts, tasks };
}

describe("firstResultDifference", () => {
  const base: [string, string, string, string?][] = [
    ["h10", "a", "changed"],
    ["h2", "a", "ok"],
    ["h2", "b", "changed", "x exists"],
    ["h10", "b", "ok"],
  ];

  it("is undefined for the same results, whatever order the hosts came in", () => {
    const reordered = [base[1], base[0], base[3], base[2]] as typeof base;
    expect(firstResultDifference(report(base), report(reordered), LABELS)).toBeUndefined();
  });

  it("names the first host (natural order) and task whose status differs", () => {
    const other = base.map((entry) => (entry[1] === "b" ? ([entry[0], "b", "failed", "boom"] as const) : entry)) as typeof base;
    expect(firstResultDifference(report(base), report(other), LABELS)).toBe(
      `host h2, result 2: on task 'b' changed ("x exists"); off task 'b' failed ("boom")`,
    );
  });

  it("sees a different message, a missing result and another exit code", () => {
    const message = base.map((entry) => (entry[0] === "h10" && entry[1] === "b" ? (["h10", "b", "ok", "other"] as const) : entry)) as typeof base;
    expect(firstResultDifference(report(base), report(message), LABELS)).toContain("host h10, result 2");
    expect(firstResultDifference(report(base), report(base.slice(0, 3)), LABELS)).toBe("host h10, result 2: on task 'b' ok; off (no result)");
    expect(firstResultDifference(report(base), report(base, 2), LABELS)).toBe("exit code: on 0, off 2");
  });
});

describe("firstTreeDifference", () => {
  it("names the host and the first path whose line differs", () => {
    const a = new Map([["h1", "/r d 0755 root:root\n/r/f f 0644 root:root size=1 sha256=aa"], ["h2", ""]]);
    const b = new Map([["h1", "/r d 0755 root:root\n/r/f f 0600 root:root size=1 sha256=aa"], ["h2", ""]]);
    expect(firstTreeDifference(a, a, LABELS)).toBeUndefined();
    expect(firstTreeDifference(a, b, LABELS)).toBe("host h1, path /r/f:\n  on: /r/f f 0644 root:root size=1 sha256=aa\n  off: /r/f f 0600 root:root size=1 sha256=aa");
  });
});

describe("item results from the console report", () => {
  const console = [
    "TASK [lineinfile] ***",
    "changed: [h2] => (item=one)",
    "ok: [h1] => (item=one)",
    "changed: [h2] => (item=two)",
    "changed: [h2]",
  ].join("\n");

  it("are read per host, in order", () => {
    expect(itemResultsByHost(console)).toEqual(new Map([["h2", ["changed (item=one)", "changed (item=two)"]], ["h1", ["ok (item=one)"]]]));
  });

  it("differ where a host has another or one more item result", () => {
    const a = itemResultsByHost(console);
    const b = itemResultsByHost(console.replace("changed: [h2] => (item=two)", ""));
    expect(firstItemDifference(a, a, LABELS)).toBeUndefined();
    expect(firstItemDifference(a, b, LABELS)).toBe("host h2, item result 2: on changed (item=two); off (none)");
    expect(firstItemDifference(b, a, LABELS)).toBe("host h2, item result 2: on (none); off changed (item=two)");
  });
});

describe("rerun checks", () => {
  it("lists changes of tasks not allowed to change, and the first failure", () => {
    const rerun = report([["h1", "touch", "changed"], ["h1", "copy", "changed"], ["h2", "copy", "ok"], ["h2", "link", "failed", "no"]]);
    expect(unexpectedChanges(rerun, new Set(["touch"]))).toEqual(["h1: copy"]);
    expect(firstFailure(rerun)).toBe("h2: link: failed: no");
  });
});

describe("formatDump", () => {
  it("joins find's listing with sha256sum's digests, one line per path", () => {
    const digest = "a".repeat(64);
    const output = [
      "/r\td\t0755\troot\troot\t4096\t",
      "/r/f\tf\t0644\troot\troot\t3\t",
      "/r/l\tl\t0777\troot\troot\t4\t/r/f",
      "--",
      `${digest}  /r/f`,
      "",
    ].join("\n");
    expect(formatDump(output)).toBe(`/r d 0755 root:root\n/r/f f 0644 root:root size=3 sha256=${digest}\n/r/l l 0777 root:root size=4 -> /r/f`);
    expect(formatDump("")).toBe("");
  });
});
