/**
 * The CLI's reports from a real check-mode run on this machine (local connection): the plan in
 * --json, the diff, no_log masking, --junit, --timings. Nothing is changed: --check.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JsonReport } from "../../src/report/json.js";
import { parseXml } from "../unit/report/xml.js";

const root = resolve(import.meta.dirname, "../..");
const dir = mkdtempSync(join(tmpdir(), "ux-cli-"));

function runbook(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync("node", ["bin/runbook.js", "test/fixtures/report/files.yaml", "-i", "test/fixtures/report/hosts.yaml", "-e", `target_dir=${dir}`, ...args], {
    cwd: root,
    encoding: "utf8",
    timeout: 120_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("reports from the CLI on a check-mode run", () => {
  beforeAll(() => {
    writeFileSync(join(dir, "motd"), "old\n");
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("prints the plan per host and task, with a diff, and changes nothing", () => {
    const { status, stdout } = runbook("--check", "--diff");
    expect(status).toBe(0);
    expect(stdout).toContain(`changed: [local1]\n  would write ${dir}/motd (11 bytes, mode 0644`);
    expect(stdout).toContain(`--- local1:${dir}/motd (before)\n+++ local1:${dir}/motd (after)`);
    expect(stdout).toContain("-old\n+new local1");
    expect(stdout).toContain("would run: systemctl restart nothing-at-all");
    expect(stdout).not.toContain("hunter2");
    expect(readFileSync(join(dir, "motd"), "utf8")).toBe("old\n");
  });

  it("puts the same plan in --json, with no_log masked, and the console on stderr", () => {
    const { status, stdout, stderr } = runbook("--check", "--diff", "--json");
    expect(status).toBe(0);
    const report = JSON.parse(stdout) as JsonReport;
    const motd = report.tasks.find((task) => task.task === "motd");
    expect(motd?.commands?.[0]).toMatch(new RegExp(`^write ${dir}/motd \\(11 bytes, mode 0644`));
    expect(motd?.diff).toEqual([{ path: `${dir}/motd`, before: "old\n", after: "new local1\n" }]);
    expect(report.tasks.find((task) => task.task === "restart")?.commands).toEqual(["systemctl restart nothing-at-all"]);
    expect(stdout).not.toContain("hunter2");
    expect(stderr).toContain("PLAY RECAP");
  });

  it("writes JUnit XML and prints timings", () => {
    const junit = join(dir, "junit.xml");
    const { status, stdout } = runbook("--check", "--junit", junit, "--timings");
    expect(status).toBe(0);
    const suites = parseXml(readFileSync(junit, "utf8"));
    expect(suites.children[0]?.children.map((testcase) => `${testcase.attributes.classname}/${testcase.attributes.name}`)).toEqual([
      "local1/motd",
      "local1/secret",
      "local1/restart",
    ]);
    expect(stdout).toMatch(/TASK TIMINGS \*+\n(?:.+---\s+\d+\.\d\ds\n){3}/);
  });
});
