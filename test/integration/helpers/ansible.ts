/** Real ansible-playbook for the oracles that compare runbook with it: is it installed, run it on lab hosts, read its json callback's results. */
import { execFile, execFileSync } from "node:child_process";
import { join } from "node:path";
import type { LabInfo } from "../../../src/lab/index.js";
import type { JsonReport } from "../../../src/report/json.js";

export function ansibleAvailable(): boolean {
  try {
    execFileSync("ansible-playbook", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** An INI inventory of lab `hosts` in group `fleet`, as root with the lab's key; host-key checking on for both tools. */
export function labInventory(lab: LabInfo, tool: "ansible" | "runbook", hosts: readonly string[]): string {
  const address = (host: string): string => lab.hosts.find((entry) => entry.name === host)?.address ?? "";
  const connection = tool === "ansible"
    ? [`ansible_ssh_common_args='-o UserKnownHostsFile=${lab.knownHostsFile} -o StrictHostKeyChecking=yes'`, "ansible_python_interpreter=/usr/bin/python3"]
    : [`runbook_known_hosts_file=${lab.knownHostsFile}`];
  const lines = ["[all:vars]", "ansible_user=root", `ansible_ssh_private_key_file=${lab.keyFile}`, ...connection, "[fleet]", ...hosts.map((host) => `${host} ansible_host=${address(host)}`)];
  return `${lines.join("\n")}\n`;
}

/** ansible-playbook on `dir`/inventory.ini with the json callback (no ansible.cfg read); never rejects. */
export function ansiblePlaybook(dir: string, playbook: string, extra: readonly string[] = []): Promise<{ code: number; stdout: string; stderr: string }> {
  // pipelining: one ssh round trip per task instead of several (the json callback's results are the same)
  const env = { ...process.env, ANSIBLE_STDOUT_CALLBACK: "json", ANSIBLE_NOCOLOR: "1", ANSIBLE_RETRY_FILES_ENABLED: "0", ANSIBLE_PIPELINING: "1", ANSIBLE_CONFIG: join(dir, "no-ansible.cfg") };
  return new Promise((resolve) => {
    execFile("ansible-playbook", ["-i", join(dir, "inventory.ini"), join(dir, playbook), ...extra], { cwd: dir, env, maxBuffer: 256 * 1024 * 1024, timeout: 900_000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === "number" ? error.code : -1, stdout, stderr });
    });
  });
}

/** One task's result on one host: "role : task" (as Ansible names it) and its status. */
export type TaskResult = readonly [task: string, status: string];

export interface AnsibleResult {
  action?: string;
  msg?: string;
  changed?: boolean;
  failed?: boolean;
  skipped?: boolean;
  unreachable?: boolean;
}

export interface AnsibleJson {
  plays: { tasks: { task: { name: string }; hosts: Record<string, AnsibleResult> }[] }[];
  stats: Record<string, { changed: number; failures: number; ok: number; rescued: number; skipped: number; unreachable: number; ignored: number }>;
}

export function ansibleStatus(result: AnsibleResult): string {
  if (result.unreachable === true) return "unreachable";
  if (result.failed === true) return "failed";
  if (result.skipped === true) return "skipped";
  return result.changed === true ? "changed" : "ok";
}

/**
 * Per host, the results in the order they came (meta tasks report nothing in either tool). An
 * include_role that ran is left out: the json callback lists it, but Ansible's recap does not
 * count it and its default output shows no result for it, as runbook shows none.
 */
export function ansibleResults(run: AnsibleJson): Map<string, TaskResult[]> {
  const byHost = new Map<string, TaskResult[]>();
  for (const play of run.plays) {
    for (const task of play.tasks) {
      for (const [host, result] of Object.entries(task.hosts)) {
        if (result.action === "include_role" && result.skipped !== true) continue;
        byHost.set(host, [...(byHost.get(host) ?? []), [task.task.name, ansibleStatus(result)]]);
      }
    }
  }
  return byHost;
}

export function runbookResults(report: JsonReport): Map<string, TaskResult[]> {
  const byHost = new Map<string, TaskResult[]>();
  for (const entry of report.tasks) {
    const name = entry.role === null ? entry.task : `${entry.role} : ${entry.task}`;
    byHost.set(entry.host, [...(byHost.get(entry.host) ?? []), [name, entry.status]]);
  }
  return byHost;
}
