/**
 * Issue 11's playbook, run again and again on the same fresh light hosts: every run must exit 0
 * with the expected results on every host, and leave the same file.
 *
 * The first run on fresh hosts finds no /srv/li (absent: ok), makes it and adds each line
 * (changed, changed, every item changed); every later run removes it again, so all three tasks
 * and every item change.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { labExec } from "../../src/lab/index.js";
import type { JsonReport } from "../../src/report/json.js";
import { runCli } from "../integration/helpers/engine.js";
import { itemResultsByHost, resultsByHost } from "./compare.js";
import type { StressLab } from "./differential.js";

export const ISSUE11_PLAYBOOK = `- hosts: all
  gather_facts: false
  tasks:
    - file: { path: /srv/li, state: absent }
    - file: { path: /srv/li, state: directory }
    - lineinfile: { path: /srv/li/settings, line: "level = {{ item }}", create: true }
      loop: [one, two, three]
`;

const ITEMS = ["one", "two", "three"];
const SETTINGS = ITEMS.map((item) => `level = ${item}\n`).join("");

export function writeIssue11Playbook(): string {
  const path = join(mkdtempSync(join(tmpdir(), "rb-issue11-")), "issue11.yaml");
  writeFileSync(path, ISSUE11_PLAYBOOK);
  return path;
}

/** Runs the playbook once (`run` counts from 1; run 1 must be on fresh hosts); returns what was wrong, by host. */
export async function issue11Run(lab: StressLab, playbook: string, run: number, env: Record<string, string> = {}): Promise<string[]> {
  const result = await runCli([playbook, "-i", lab.inventoryFile, "--json", "--no-progress"], { env });
  let report: JsonReport;
  try {
    report = JSON.parse(result.stdout) as JsonReport;
  } catch {
    return [`run ${run}: exited ${result.code} without a JSON report: ${result.stderr.slice(-2000)}`];
  }
  const problems = report.exitCode === 0 ? [] : [`run ${run}: exit code ${report.exitCode}`];
  const results = resultsByHost(report);
  const items = itemResultsByHost(result.stderr);
  const expected = [run === 1 ? "ok" : "changed", "changed", "changed"];
  const files = await Promise.all(lab.hosts.map((host) => labExec(lab.name, host, ["cat", "/srv/li/settings"])));
  lab.hosts.forEach((host, index) => {
    const seen = (results.get(host) ?? []).map((line) => line.status);
    if (seen.join() !== expected.join()) problems.push(`run ${run}, ${host}: results ${seen.join(", ")} (want ${expected.join(", ")}); ${firstMessage(results.get(host))}`);
    const wantItems = ITEMS.map((item) => `changed (item=${item})`);
    if ((items.get(host) ?? []).join() !== wantItems.join()) problems.push(`run ${run}, ${host}: items ${(items.get(host) ?? []).join(", ") || "none"}`);
    const file = files[index];
    if (file?.stdout !== SETTINGS) problems.push(`run ${run}, ${host}: /srv/li/settings is ${JSON.stringify(file?.stdout)} (${file?.stderr.trim()})`);
  });
  return problems;
}

function firstMessage(lines: readonly { status: string; msg: string }[] | undefined): string {
  const failed = lines?.find((line) => line.status === "failed");
  return failed ? `first failure: ${failed.msg}` : "";
}
