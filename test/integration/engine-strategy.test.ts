/**
 * Scheduling and selection over real SSH on 10+ hosts, through the CLI: linear lockstep vs free
 * (read from the order of results in the JSON report), --forks (hosts hold their fork until the test
 * releases them), --limit patterns, --tags, --skip-tags and --role.
 */
import { beforeAll, describe, expect, inject, it } from "vitest";
import type { LabInfo } from "../../src/lab/index.js";
import type { JsonTask } from "../../src/report/json.js";
import { isLabReady } from "./setup/lab.js";
import { hostsSh, runPlaybookJson, statusByHost } from "./helpers/engine.js";

const lab = inject("lab");
const TEN = ["h1", "h2", "h3", "h4", "h5", "h6", "h7", "h8", "h9", "h10"];

const named = (tasks: readonly JsonTask[], name: string): JsonTask[] => tasks.filter((task) => task.task === name);

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** forks-held.yaml's marks on each host: "started", "done", "release" as present. */
async function forkMarks(info: LabInfo, hosts: readonly string[]): Promise<Map<string, string>> {
  const listed = await hostsSh(info, hosts, "ls /tmp/itforks 2>/dev/null | tr '\\n' ' '; true");
  return new Map(hosts.map((host, index) => [host, listed[index] ?? ""]));
}

function busyHosts(marks: Map<string, string>): string[] {
  return [...marks].filter(([, found]) => found.includes("started") && !found.includes("done")).map(([host]) => host);
}

/**
 * While forks-held.yaml runs: the number of busy hosts just before each release, releasing one
 * busy host at a time. A held task ends only when released, and its fork is free only after its
 * `done` mark; so between one release's `done` and the next release the busy set only grows, and
 * reading it just before a release (after a moment for any extra host to start) sees its largest size.
 */
async function busyBeforeEachRelease(info: LabInfo, hosts: readonly string[], forks: number): Promise<number[]> {
  const counts: number[] = [];
  for (let released = 0; released < hosts.length; released++) {
    const wanted = Math.min(forks, hosts.length - released);
    for (let i = 0; i < 600 && busyHosts(await forkMarks(info, hosts)).length < wanted; i++) await pause(200);
    await pause(500);
    const busy = busyHosts(await forkMarks(info, hosts));
    counts.push(busy.length);
    const next = busy[0];
    if (next === undefined) break;
    await hostsSh(info, [next], "touch /tmp/itforks/release");
    for (let i = 0; i < 600 && !(await forkMarks(info, [next])).get(next)?.includes("done"); i++) await pause(200);
  }
  return counts;
}

describe.skipIf(!isLabReady(lab))("strategies, forks and selection on many hosts", () => {
  if (!isLabReady(lab)) return;

  it("linear: every host finishes a task before any host starts the next", async () => {
    const run = await runPlaybookJson(lab, "strategy.yaml", ["--limit", TEN.join(","), "--tags", "linear"]);
    expect(run.code, run.stderr).toBe(0);
    const first = named(run.report.tasks, "first");
    const second = named(run.report.tasks, "second");
    expect(first.map((task) => task.host).sort()).toEqual([...TEN].sort());
    expect(second.map((task) => task.host).sort()).toEqual([...TEN].sort());
    // results are reported as they come: every host's `first` (h1's sleeps 3 s) arrives before any `second`
    const order = run.report.tasks.map((task) => task.task);
    expect(order.indexOf("second")).toBeGreaterThanOrEqual(0);
    expect(order.lastIndexOf("first")).toBeLessThan(order.indexOf("second"));
  });

  it("free: the fast hosts run ahead of the slow one", async () => {
    const run = await runPlaybookJson(lab, "strategy.yaml", ["--limit", TEN.join(","), "--tags", "free"]);
    expect(run.code, run.stderr).toBe(0);
    expect(named(run.report.tasks, "second").map((task) => task.host).sort()).toEqual([...TEN].sort());
    // results are reported as they come: other hosts' `second` results arrive before h1's slow `first`
    const order = run.report.tasks.map((task) => `${task.host}:${task.task}`);
    const slowFirst = order.indexOf("h1:first");
    expect(slowFirst).toBeGreaterThanOrEqual(0);
    const ranAhead = order.slice(0, slowFirst).filter((entry) => entry.endsWith(":second"));
    expect(ranAhead.length).toBeGreaterThan(0);
  });

  it("--forks 3 keeps at most 3 hosts busy at once", async () => {
    await hostsSh(lab, TEN, "rm -rf /tmp/itforks");
    const running = runPlaybookJson(lab, "forks-held.yaml", ["--limit", TEN.join(","), "--forks", "3"]);
    running.catch(() => {}); // awaited below; keeps a failure while counting from leaving it unhandled
    let most: number[];
    try {
      most = await busyBeforeEachRelease(lab, TEN, 3);
    } finally {
      await hostsSh(lab, TEN, "mkdir -p /tmp/itforks && touch /tmp/itforks/release");
    }
    const run = await running;
    expect(run.code, run.stderr).toBe(0);
    expect(named(run.report.tasks, "hold a fork until released")).toHaveLength(TEN.length);
    // 3 busy while at least 3 hosts were left, never more: the forks were all used, and bounded
    expect(most).toEqual([3, 3, 3, 3, 3, 3, 3, 3, 2, 1]);
  });

  it.each([
    ["h1*:!h11", ["h1", "h10", "h12"]],
    ["lab[1:3]", ["h2", "h3", "h4"]],
    ["lab:&h1?", ["h10", "h11", "h12"]],
    ["~h1[01]", ["h10", "h11"]],
    ["h3,h5", ["h3", "h5"]],
  ])("--limit '%s' runs on exactly those hosts", async (pattern, hosts) => {
    const run = await runPlaybookJson(lab, "forks.yaml", ["--limit", pattern, "--forks", "12"]);
    expect(run.code, run.stderr).toBe(0);
    expect(Object.keys(run.report.hosts).sort()).toEqual([...hosts].sort());
    expect(Object.keys(statusByHost(run.report, "hold a fork")).sort()).toEqual([...hosts].sort());
  });

  describe("--tags, --skip-tags, --role", () => {
    const HOST = "h11";
    const FILES = "ls /opt/itselect | tr '\\n' ' '";

    beforeAll(async () => {
      await hostsSh(lab, [HOST], "rm -rf /opt/itselect");
    });

    it.each([
      [["--role", "itrole"], ["role task"]],
      [["--tags", "web"], ["directory", "web task"]],
      [["--tags", "config"], ["directory", "role task", "db task"]],
      [["--skip-tags", "config,web"], ["directory", "untagged task"]],
      [["--tags", "debug"], ["directory", "never task"]],
      [[], ["directory", "role task", "web task", "db task", "untagged task"]],
    ])("%j runs %j", async (args, tasks) => {
      await hostsSh(lab, [HOST], "mkdir -p /opt/itselect && find /opt/itselect -type f -delete");
      const run = await runPlaybookJson(lab, "select.yaml", ["--limit", HOST, ...args]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.report.tasks.map((task) => task.task)).toEqual(tasks);
      const files = tasks.filter((task) => task !== "directory").map((task) => task.split(" ")[0]).sort();
      const expected = files.map((file) => (file === "untagged" ? "plain" : file));
      expect((await hostsSh(lab, [HOST], FILES))[0]!.trim().split(" ").filter(Boolean).sort()).toEqual(expected.sort());
    });
  });
});
