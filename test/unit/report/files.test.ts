import { Chalk } from "chalk";
import { describe, expect, it } from "vitest";
import type { ReportEvent } from "../../../src/report/report-event.js";
import { htmlReport, htmlReporter } from "../../../src/report/html.js";
import { jsonReporter, type JsonReport } from "../../../src/report/json.js";
import { junitReporter, junitXml } from "../../../src/report/junit.js";
import { formatTimings, roleTimings, taskTimings } from "../../../src/report/timings.js";
import { collectRun, type RunRecord } from "../../../src/report/collect.js";
import { recordedRun, replay } from "./recorded-run.js";
import { parseXml } from "./xml.js";

function output(make: (write: (text: string) => void) => (event: ReportEvent) => void): string {
  let out = "";
  replay(make((text) => (out += text)));
  return out;
}

describe("JUnit report", () => {
  const xml = output(junitReporter);
  const root = parseXml(xml);

  it("is well-formed JUnit: testsuites > testsuite (one per play) > testcase (one per host x task)", () => {
    expect(root.name).toBe("testsuites");
    expect(root.children.map((suite) => suite.name)).toEqual(["testsuite"]);
    const suite = root.children[0];
    expect(suite?.attributes).toMatchObject({ name: "Configure web", tests: "9", failures: "1", errors: "1", skipped: "1" });
    expect(suite?.children.every((child) => child.name === "testcase")).toBe(true);
    expect(suite?.children).toHaveLength(9);
    for (const testcase of suite?.children ?? []) {
      expect(testcase.attributes.name).toBeTruthy();
      expect(testcase.attributes.classname).toMatch(/^web\d$/);
      expect(testcase.attributes.time).toMatch(/^\d+\.\d{3}$/);
    }
  });

  it("carries failures and unreachable hosts with their messages", () => {
    const cases = root.children[0]?.children ?? [];
    const failed = cases.find((testcase) => testcase.attributes.classname === "web2" && testcase.attributes.name === "Restart nginx");
    expect(failed?.children[0]?.name).toBe("failure");
    expect(failed?.children[0]?.attributes.message).toBe("command failed (rc=1): systemctl restart nginx");
    expect(failed?.children[0]?.text).toContain("Job failed");
    const unreachable = cases.find((testcase) => testcase.attributes.classname === "web3");
    expect(unreachable?.children[0]?.name).toBe("error");
    expect(unreachable?.children[0]?.attributes.message).toContain("connection refused");
  });

  it("hides no_log messages", () => {
    expect(xml).not.toContain("hunter2");
  });
});

describe("HTML report", () => {
  const html = output(htmlReporter);

  it("is self-contained: no external scripts, styles, images or URLs", () => {
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/i);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).toContain("<style>");
  });

  it("has the recap and one timeline lane per host with a bar per result", () => {
    expect(html).toMatch(/<tr class="failed"><th>web2<\/th><td>2<\/td><td>0<\/td><td>0<\/td><td>1<\/td>/);
    expect(html.match(/class="lane"/g)).toHaveLength(3);
    expect(html.match(/class="bar (ok|changed|failed|unreachable|skipped)"/g)).toHaveLength(9);
    // the restart on web1 started 600 ms into a 5000 ms run and took 2000 ms
    expect(html).toMatch(/class="bar changed" style="left:12\.000%;width:40\.000%" title="Restart nginx — changed — 2000 ms"/);
  });

  it("escapes what it shows and hides no_log messages", () => {
    expect(html).not.toContain("hunter2");
    expect(html).not.toContain("<web1>");
  });
});

describe("timings", () => {
  let record: RunRecord | undefined;
  replay(collectRun((done) => (record = done)));
  const results = record?.results ?? [];

  it("times each task from its first start to its last finish across hosts, slowest first", () => {
    expect(taskTimings(results).slice(0, 3)).toEqual([
      { label: "Gathering Facts", ms: 5000 },
      { label: "Restart nginx", ms: 2000 },
      { label: "base : Install the motd", ms: 120 },
    ]);
  });

  it("sums tasks per role", () => {
    expect(roleTimings(results)).toEqual([
      { label: "(no role)", ms: 5000 + 2000 + 50 + 1 },
      { label: "base", ms: 120 },
    ]);
  });

  it("prints both tables", () => {
    const text = formatTimings(results, new Chalk({ level: 0 }), 2);
    expect(text).toContain("TASK TIMINGS");
    expect(text).toMatch(/Gathering Facts\s+---\s+5\.00s/);
    expect(text).toContain("(3 faster not shown)");
    expect(text).toMatch(/ROLE TIMINGS[^]*\(no role\)\s+---\s+7\.05s/);
  });
});

describe("JSON report", () => {
  const report = JSON.parse(output(jsonReporter)) as JsonReport;

  it("carries the plan: commands and diffs per host and task", () => {
    const motd = report.tasks.find((task) => task.host === "web1" && task.task === "Install the motd");
    expect(motd).toMatchObject({ role: "base", status: "changed", commands: ["write /etc/motd (12 bytes, mode 0644)"] });
    expect(motd?.diff?.[0]).toEqual({ path: "/etc/motd", before: "old line\n", after: "Welcome <web1> & co\n" });
    expect(report.exitCode).toBe(2);
    expect(report.hosts["web3"]?.unreachable).toBe(1);
  });

  it("masks no_log tasks", () => {
    const secret = report.tasks.find((task) => task.task === "Set the password");
    expect(secret?.msg).toBe("(hidden: no_log)");
    expect(secret?.commands).toBeUndefined();
    expect(JSON.stringify(report)).not.toContain("hunter2");
  });
});

it("the recorded run is what the reports above read", () => {
  expect(recordedRun.filter((event) => event.type === "task-result")).toHaveLength(9);
});

describe("a run with no results (no hosts matched)", () => {
  const empty = { results: [], stats: new Map(), exitCode: 0, interrupted: false };
  it("still gives a valid page and valid JUnit", () => {
    const html = htmlReport(empty, "empty");
    expect(html).toContain("0 results");
    expect(html).not.toMatch(/NaN|Infinity/);
    expect(parseXml(junitXml(empty)).attributes).toMatchObject({ tests: "0", failures: "0" });
  });
});

describe("a long run", () => {
  it("draws 200,000 results (more than a call takes as arguments) with every host's lane", () => {
    const task = { play: "p", name: "t", module: "ping", isHandler: false, noLog: false };
    const results = Array.from({ length: 200_000 }, (_, index) => ({
      task,
      result: { host: `h${index % 2}`, status: "ok" as const, startedAt: 1_000 + index, durationMs: 1 },
    }));
    const html = htmlReport({ results, stats: new Map(), exitCode: 0, interrupted: false }, "long");
    expect(html).toContain("200000 results · 2 hosts · 200.00 s");
  });
});
