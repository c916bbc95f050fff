/**
 * The two contenders, as command lines. Both read the lab's inventory.yaml (it is valid Ansible
 * YAML inventory) and run the same workload; Ansible gets its fast settings: pipelining,
 * forks = hosts, ControlPersist, no host-key checking on the throw-away lab hosts.
 */
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { spawnCollect } from "./measure.js";

export type ToolName = "runbook" | "ansible";
export type Phase = "first" | "nochange" | "check";

export interface Invocation {
  readonly argv: readonly string[];
  readonly env: NodeJS.ProcessEnv;
}

export interface Tool {
  readonly name: ToolName;
  invocation(phase: Phase): Invocation;
  /** Drops whatever the tool keeps between runs on the controller (Ansible's SSH masters). */
  reset(): Promise<void>;
}

export interface ToolSetup {
  readonly repo: string;
  readonly inventory: string;
  readonly hosts: number;
  /** A scratch directory of this bench run (ansible.cfg, control sockets). */
  readonly workDir: string;
}

export function runbookTool(setup: ToolSetup, playbook: string): Tool {
  const base = ["node", resolve(setup.repo, "bin/runbook.js"), playbook, "-i", setup.inventory, "--forks", String(Math.max(setup.hosts, 1))];
  return {
    name: "runbook",
    invocation: (phase) => ({ argv: phase === "check" ? [...base, "--check"] : base, env: { ...process.env, FORCE_COLOR: "0" } }),
    reset: async () => {},
  };
}

export function ansibleTool(setup: ToolSetup, playbook: string): Tool {
  const dir = join(setup.workDir, "ansible");
  const controlDir = join(dir, "cp");
  mkdirSync(controlDir, { recursive: true });
  const config = join(dir, "ansible.cfg");
  writeFileSync(config, ansibleConfig(dir, controlDir, setup.hosts));
  const env = { ...process.env, ANSIBLE_CONFIG: config, ANSIBLE_NOCOLOR: "1", ANSIBLE_HOME: dir };
  const base = ["ansible-playbook", "-i", setup.inventory, playbook];
  return {
    name: "ansible",
    invocation: (phase) => ({ argv: phase === "check" ? [...base, "--check"] : base, env }),
    // Fresh hosts have new host keys and no masters: start the next first run cold, as runbook does.
    reset: () => closeMasters(controlDir),
  };
}

function ansibleConfig(dir: string, controlDir: string, hosts: number): string {
  return [
    "[defaults]",
    `forks = ${Math.max(hosts, 1)}`,
    "host_key_checking = False",
    `local_tmp = ${join(dir, "tmp")}`,
    "retry_files_enabled = False",
    "interpreter_python = /usr/bin/python3",
    "gathering = implicit",
    "",
    "[ssh_connection]",
    "pipelining = True",
    `control_path_dir = ${controlDir}`,
    "ssh_args = -o ControlMaster=auto -o ControlPersist=300s -o UserKnownHostsFile=/dev/null -o StrictHostKeyChecking=no -o LogLevel=ERROR",
    "",
  ].join("\n");
}

async function closeMasters(controlDir: string): Promise<void> {
  await Promise.all(
    readdirSync(controlDir).map((socket) => spawnCollect(["ssh", "-O", "exit", "-o", `ControlPath=${join(controlDir, socket)}`, "lab-host"])),
  );
}

/** Installs Debian's ansible-core when ansible-playbook is missing. */
export async function ensureAnsible(): Promise<void> {
  if ((await spawnCollect(["sh", "-c", "command -v ansible-playbook"])).rc === 0) return;
  process.stderr.write("ansible-playbook not found: apt-get install ansible-core\n");
  const install = await spawnCollect(["sh", "-c", "apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q ansible-core"]);
  if (install.rc !== 0) throw new Error(`cannot install ansible-core:\n${install.output.slice(-2000)}`);
}
