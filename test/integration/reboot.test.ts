/**
 * reboot and wait_for_connection on real systemd lab hosts, which really reboot (the lab boots
 * a host's container again when systemd-nspawn exits for a reboot: src/lab/systemd-launch-script.ts).
 * The same playbooks (test/fixtures/reboot/) run through ansible-playbook on h1 h2 and through
 * runbook on h3 h4: per task the same results, the same records (rebooted, changed, a new boot
 * id, facts kept), and every host booted anew; the same in --check, where nothing reboots. Then
 * runbook alone: a connection lost without a reboot (the host's sshd session killed) leaves the
 * host unreachable (exit 3), unless wait_for_connection reconnects.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { labDown, labUnavailableReason, type LabInfo } from "../../src/lab/index.js";
import type { JsonReport } from "../../src/report/json.js";
import { ansibleAvailable, ansiblePlaybook, ansibleResults, labInventory, runbookResults, type AnsibleJson } from "./helpers/ansible.js";
import { hostSh, REPO, runCli, type EngineRun } from "./helpers/engine.js";
import { SYSTEMD_LAB_PACKAGES } from "./helpers/rootfs.js";
import { bootedSystemdLab, testLabName } from "./lab-helpers.js";

// under the suite lab's name when one is given (RUNBOOK_TEST_LAB), so worktrees keep to their own names
const LAB = process.env["RUNBOOK_TEST_LAB"] === undefined ? testLabName("reboot") : `${process.env["RUNBOOK_TEST_LAB"]}-rb`;
const FIXTURES = join(REPO, "test", "fixtures", "reboot");
const ANSIBLE_HOSTS = ["h1", "h2"] as const;
const RUNBOOK_HOSTS = ["h3", "h4"] as const;
const PAIRS = [["h1", "h3"], ["h2", "h4"]] as const;
const BOOT_ID = "cat /proc/sys/kernel/random/boot_id";

/** The debug tasks' messages by host, in order: what each tool saw. */
function ansibleRecords(run: AnsibleJson): Map<string, string[]> {
  const byHost = new Map<string, string[]>();
  for (const task of run.plays.flatMap((play) => play.tasks)) {
    if (!task.task.name.startsWith("record")) continue;
    for (const [host, result] of Object.entries(task.hosts)) byHost.set(host, [...(byHost.get(host) ?? []), result.msg ?? ""]);
  }
  return byHost;
}

function runbookRecords(report: JsonReport): Map<string, string[]> {
  const byHost = new Map<string, string[]>();
  for (const entry of report.tasks) if (entry.task.startsWith("record")) byHost.set(entry.host, [...(byHost.get(entry.host) ?? []), entry.msg ?? ""]);
  return byHost;
}

describe.skipIf(labUnavailableReason("systemd") !== undefined)("reboot on systemd lab hosts", () => {
  let lab: LabInfo;
  let work: string;

  const bootIds = (hosts: readonly string[]): Promise<string[]> => Promise.all(hosts.map(async (host) => (await hostSh(lab, host, BOOT_ID)).trim()));

  function workDir(tool: "ansible" | "runbook", hosts: readonly string[]): string {
    const dir = join(work, `${tool}-${hosts.join("-")}`);
    cpSync(FIXTURES, dir, { recursive: true });
    writeFileSync(join(dir, "inventory.ini"), labInventory(lab, tool, hosts));
    return dir;
  }

  async function runbook(dir: string, playbook: string, extra: readonly string[] = []): Promise<EngineRun> {
    const result = await runCli([join(dir, playbook), "-i", join(dir, "inventory.ini"), "--json", ...extra], { cwd: dir });
    try {
      return { ...result, report: JSON.parse(result.stdout) as JsonReport };
    } catch {
      throw new Error(`runbook exited ${result.code} without one JSON document:\n${result.stdout}\n--- stderr:\n${result.stderr}`);
    }
  }

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), "runbook-reboot-"));
    lab = await bootedSystemdLab({ name: LAB, hosts: 4, packages: [...SYSTEMD_LAB_PACKAGES] });
  }, 900_000);

  afterAll(async () => {
    await labDown(LAB);
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
  });

  describe.skipIf(!ansibleAvailable())("against ansible-playbook", () => {
    it("reboots twice (reboot, then a command and wait_for_connection) with the same results and records", { timeout: 900_000 }, async () => {
      const before = await bootIds([...ANSIBLE_HOSTS, ...RUNBOOK_HOSTS]);
      const [ansible, ours] = await Promise.all([ansiblePlaybook(workDir("ansible", ANSIBLE_HOSTS), "site.yaml"), runbook(workDir("runbook", RUNBOOK_HOSTS), "site.yaml")]);
      expect(ansible.code, ansible.stderr).toBe(0);
      expect(ours.code, ours.stderr).toBe(0);
      const theirs = JSON.parse(ansible.stdout) as AnsibleJson;
      const lines = (results: readonly (readonly string[])[] | undefined): string => (results ?? []).map((result) => result.join(": ")).join("\n");
      for (const [ansibleHost, runbookHost] of PAIRS) {
        expect(lines(runbookResults(ours.report).get(runbookHost)), `${runbookHost} against ${ansibleHost}`).toBe(lines(ansibleResults(theirs).get(ansibleHost)));
        expect(runbookRecords(ours.report).get(runbookHost), runbookHost).toEqual(ansibleRecords(theirs).get(ansibleHost));
      }
      expect(ansibleRecords(theirs).get("h1")).toEqual(["rebooted=True changed=True new_boot=True facts_kept=True", "new_boot=True"]);
      // every host runs another boot than before, seen from the machine
      const after = await bootIds([...ANSIBLE_HOSTS, ...RUNBOOK_HOSTS]);
      after.forEach((id, index) => expect(id).not.toBe(before[index]));
      const timings = ours.report.tasks.filter((entry) => entry.task === "reboot" || entry.task === "wait for the connection").map((entry) => `${entry.host} ${entry.task} ${(entry.durationMs / 1000).toFixed(1)} s`);
      console.log(`runbook: ${timings.join(", ")}`);
    });

    it("--check: reboot is a change, wait_for_connection is skipped, and nothing reboots", { timeout: 600_000 }, async () => {
      const before = await bootIds([...ANSIBLE_HOSTS, ...RUNBOOK_HOSTS]);
      const [ansible, ours] = await Promise.all([ansiblePlaybook(workDir("ansible", ANSIBLE_HOSTS), "check.yaml", ["--check"]), runbook(workDir("runbook", RUNBOOK_HOSTS), "check.yaml", ["--check"])]);
      expect(ansible.code, ansible.stderr).toBe(0);
      expect(ours.code, ours.stderr).toBe(0);
      const theirs = ansibleResults(JSON.parse(ansible.stdout) as AnsibleJson);
      for (const [ansibleHost, runbookHost] of PAIRS) expect(runbookResults(ours.report).get(runbookHost), runbookHost).toEqual(theirs.get(ansibleHost));
      expect(theirs.get("h1")).toEqual([["reboot", "changed"], ["wait for the connection", "skipped"], ["after", "ok"]]);
      expect(await bootIds([...ANSIBLE_HOSTS, ...RUNBOOK_HOSTS])).toEqual(before);
    });
  });

  it("a connection lost without a reboot (the sshd session killed) leaves the host unreachable: exit 3", { timeout: 300_000 }, async () => {
    const run = await runbook(workDir("runbook", ["h3"]), "drop.yaml");
    expect(run.code).toBe(3);
    expect(run.report.tasks.map((entry) => `${entry.task}: ${entry.status}`)).toEqual(["kill our ssh session: unreachable"]);
    expect(run.report.hosts["h3"]).toMatchObject({ unreachable: 1 });
  });

  it("wait_for_connection after the session was killed reconnects, and the play goes on", { timeout: 300_000 }, async () => {
    const run = await runbook(workDir("runbook", ["h4"]), "drop-wait.yaml");
    expect(run.code, run.stderr).toBe(0);
    expect(run.report.tasks.map((entry) => `${entry.task}: ${entry.status}`)).toEqual(["kill our ssh session: unreachable", "wait for the connection: ok", "after: ok"]);
  });
});
