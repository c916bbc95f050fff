/**
 * 100 hosts x 20 tasks with --forks 100 through the CLI: every result is reported exactly once
 * (the --json tasks array holds exactly 100 x (20 + facts) entries, no duplicates). Brings up
 * its own 100-host light lab and takes it down afterwards.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { labDown, labUnavailableReason, labUp, type LabInfo } from "../../src/lab/index.js";
import { parseJson, runCli } from "./helpers/cli.js";
import { testLabName } from "./lab-helpers.js";

// named after this worktree, so several worktrees' suites do not share (or tear down) it
const LAB = testLabName("rl100");
const HOSTS = 100;
const TASKS = 20;

describe.skipIf(labUnavailableReason() !== undefined)(`${HOSTS} hosts x ${TASKS} tasks`, () => {
  let info: LabInfo;
  beforeAll(async () => {
    info = await labUp({ name: LAB, hosts: HOSTS });
  }, 600_000);
  afterAll(() => labDown(LAB), 300_000);

  it("reports every result exactly once with --forks 100", async () => {
    const dir = mkdtempSync(join(tmpdir(), "rl-scale-"));
    const tasks = Array.from({ length: TASKS }, (_, i) => `    - name: task ${i + 1}\n      command: echo ${i + 1}\n`).join("");
    const playbook = join(dir, "many.yaml");
    writeFileSync(playbook, `- hosts: all\n  tasks:\n${tasks}`);
    const result = await runCli([playbook, "-i", info.inventoryFile, "--forks", "100", "--json"], { cwd: dir });
    expect(result.code, result.stderr.slice(-2000)).toBe(0);
    const report = parseJson(result);
    expect(report.tasks).toHaveLength(HOSTS * (TASKS + 1));
    const keys = report.tasks.map((task) => `${task.host}\u0000${task.task}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(Object.keys(report.hosts)).toHaveLength(HOSTS);
    for (const stats of Object.values(report.hosts)) expect(stats).toMatchObject({ ok: TASKS + 1, changed: TASKS, failed: 0, unreachable: 0 });
    expect(report.tasks.filter((task) => task.task === "Gathering Facts")).toHaveLength(HOSTS);
  }, 600_000);
});
