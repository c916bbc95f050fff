import { describe, expect, it } from "vitest";
import { chartSeries, renderChart } from "../../bench/lib/chart.js";
import { summarize, type HostCountResult, type Sample } from "../../bench/lib/results.js";
import { changedCount, median, ratio } from "../../bench/lib/stats.js";
import { formatTable } from "../../bench/lib/table.js";
import { strategyDir } from "../../bench/lib/tools.js";

const sample = (tool: "runbook" | "ansible" | "mitogen", phase: "first" | "nochange" | "check", seconds: number): Sample => ({
  tool,
  phase,
  run: 1,
  seconds,
  cpuSeconds: seconds / 2,
  peakRssMb: 50,
  changed: 0,
});

const result = (hosts: number, samples: Sample[], floorSeconds?: number): HostCountResult => ({
  hosts,
  workload: "generic",
  date: "2026-11-22T00:00:00Z",
  loadBefore: [1, 1, 1],
  loadAfter: [1, 1, 1],
  machine: "test",
  samples,
  medians: summarize(samples),
  floorSeconds,
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

  it("summarizes medians per phase and tool; the table shows the floor and each tool's ratio to runbook", () => {
    const samples = [
      sample("runbook", "nochange", 1), sample("runbook", "nochange", 3), sample("runbook", "nochange", 2),
      sample("ansible", "nochange", 40), sample("mitogen", "nochange", 10),
    ];
    const table = formatTable([result(20, samples, 0.5)]);
    expect(table).toMatch(/\| 20 +\| no-change rerun \| 0\.50 +\| 2\.00 +\| 4\.0x +\| 40\.00 +\| 10\.00 +\| 20\.0x +\| 5\.0x +\| 1\.00 \/ 20\.00 \/ 5\.00 +\| 50 \/ 50 \/ 50 +\|/);
    expect(table).not.toMatch(/first run/);
  });

  it("shows '-' for a tool that did not run", () => {
    expect(formatTable([result(3, [sample("runbook", "first", 1)])])).toMatch(/\| 3 +\| first run \| - +\| 1\.00 +\| - +\| - +\| - +\| - +\| - +\| 0\.50 \/ - \/ - /);
  });
});

describe("mitogen's strategy plugins", () => {
  it("takes the package's own directory from a dpkg -L listing, not the copy under ansible/", () => {
    const listing = [
      "/usr/lib/python3/dist-packages/ansible/plugins/strategy/mitogen_linear.py",
      "/usr/lib/python3/dist-packages/ansible_mitogen/plugins/strategy",
      "/usr/lib/python3/dist-packages/ansible_mitogen/plugins/strategy/mitogen_linear.py",
    ].join("\n");
    expect(strategyDir(listing)).toBe("/usr/lib/python3/dist-packages/ansible_mitogen/plugins/strategy");
    expect(strategyDir("/usr/share/doc/ansible-mitogen/copyright")).toBeUndefined();
  });
});

describe("SVG chart", () => {
  const results = [
    result(3, [sample("runbook", "first", 1), sample("ansible", "first", 9), sample("mitogen", "first", 4)], 0.3),
    result(20, [sample("runbook", "first", 2)], 0.6),
  ];

  it("draws one line per tool and phase that has points, and the floor", () => {
    expect(chartSeries(results).map((line) => [line.label, line.points.length])).toEqual([
      ["ansible + mitogen first run", 1],
      ["ansible first run", 1],
      ["runbook first run", 2],
      ["floor (start + connect + one round trip)", 2],
    ]);
  });

  it("writes a standalone SVG with a polyline per series and a label per host count", () => {
    const svg = renderChart(results, "bench <generic>");
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
    // one polyline per series (the axes' polyline is drawn in ink, #282828)
    expect(svg.match(/<polyline points="[\d., ]+" fill="none" stroke="#(?!282828)/g)).toHaveLength(4);
    expect(svg).toContain(">bench &lt;generic&gt;</text>");
    expect(svg).toMatch(/>3<\/text>[\s\S]*>20<\/text>/);
  });
});
