import { inflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { chartSeries, renderChart } from "../../bench/lib/chart.js";
import { encodePng } from "../../bench/lib/png.js";
import { summarize, type HostCountResult, type Sample } from "../../bench/lib/results.js";
import { changedCount, median, ratio } from "../../bench/lib/stats.js";
import { formatTable } from "../../bench/lib/table.js";

const sample = (tool: "runbook" | "ansible", phase: "first" | "nochange" | "check", seconds: number): Sample => ({
  tool,
  phase,
  run: 1,
  seconds,
  cpuSeconds: seconds / 2,
  peakRssMb: 50,
  changed: 0,
});

const result = (hosts: number, samples: Sample[]): HostCountResult => ({
  hosts,
  workload: "generic",
  date: "2026-11-22T00:00:00Z",
  loadBefore: [1, 1, 1],
  loadAfter: [1, 1, 1],
  machine: "test",
  samples,
  medians: summarize(samples),
});

describe("bench statistics", () => {
  it.each([
    [[3, 1, 2], 2],
    [[4, 1, 3, 2], 2.5],
    [[7], 7],
  ])("median of %j is %d", (values, expected) => {
    expect(median(values)).toBe(expected);
  });

  it("ratio is NaN when a side is missing", () => {
    expect(ratio(10, 2)).toBe(5);
    expect(ratio(undefined, 2)).toBeNaN();
    expect(ratio(1, 0)).toBeNaN();
  });

  it("sums changed= over a PLAY RECAP, runbook's or Ansible's", () => {
    const recap = "h1 : ok=14  changed=13  unreachable=0\nh2                         : ok=14   changed=2    unreachable=0";
    expect(changedCount(recap)).toBe(15);
    expect(changedCount("no recap")).toBeUndefined();
  });

  it("summarizes medians per phase and tool, and the table shows the ratio", () => {
    const samples = [sample("runbook", "nochange", 1), sample("runbook", "nochange", 3), sample("runbook", "nochange", 2), sample("ansible", "nochange", 40)];
    const table = formatTable([result(20, samples)]);
    expect(table).toMatch(/\| 20 +\| no-change rerun \| 2\.00 +\| 40\.00 +\| 20\.0x/);
    expect(table).not.toMatch(/first run/);
  });
});

describe("PNG chart", () => {
  it("encodes RGB as a PNG whose pixels inflate back", () => {
    const rgb = Uint8Array.from([255, 0, 0, 0, 255, 0, 0, 0, 255, 9, 9, 9]);
    const png = encodePng(2, 2, rgb);
    expect(png.subarray(1, 4).toString("ascii")).toBe("PNG");
    expect(png.readUInt32BE(16)).toBe(2); // IHDR width
    const idatAt = png.indexOf("IDAT");
    const raw = inflateSync(png.subarray(idatAt + 4, idatAt + 4 + png.readUInt32BE(idatAt - 4)));
    expect([...raw]).toEqual([0, 255, 0, 0, 0, 255, 0, 0, 0, 0, 255, 9, 9, 9]);
  });

  it("draws one line per tool and phase that has points", () => {
    const results = [result(3, [sample("runbook", "first", 1), sample("ansible", "first", 9)]), result(20, [sample("runbook", "first", 2)])];
    const series = chartSeries(results);
    expect(series.map((line) => [line.label, line.points.length])).toEqual([
      ["ansible first run", 1],
      ["runbook first run", 2],
    ]);
    expect(renderChart(results, "t").subarray(1, 4).toString("ascii")).toBe("PNG");
  });
});
