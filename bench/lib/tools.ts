/**
 * The contenders, as command lines. All read the lab's inventory.yaml (it is valid Ansible
 * YAML inventory) and run the same workload; Ansible gets its fast settings: pipelining,
 * forks = hosts, ControlPersist, no host-key checking on the throw-away lab hosts. "mitogen" is
 * the same Ansible with Debian's ansible-mitogen and its `mitogen_linear` strategy (one Python
 * interpreter per host kept for the whole run, modules sent over it instead of per-task SSH).
 */
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { spawnCollect } from "./measure.js";

export type ToolName = "runbook" | "ansible" | "mitogen";
export const TOOL_NAMES: readonly ToolName[] = ["runbook", "ansible", "mitogen"];
export type Phase = "first" | "nochange" | "check";

export interface Invocation {
  readonly argv: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  /** Where the run leaves its event loop's delay (runbook only: bench/lib/loop-delay-preload.mjs). */
  readonly loopDelayFile?: string | undefined;
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
  const preload = resolve(setup.repo, "bench/lib/loop-delay-preload.mjs");
  const base = ["node", "--import", preload, resolve(setup.repo, "bin/runbook.js"), playbook, "-i", setup.inventory, "--forks", String(Math.max(setup.hosts, 1))];
  const loopDelayFile = join(setup.workDir, "loop-delay.json");
  mkdirSync(setup.workDir, { recursive: true });
  return {
    name: "runbook",
    invocation: (phase) => ({
      argv: phase === "check" ? [...base, "--check"] : base,
      env: { ...process.env, FORCE_COLOR: "0", RUNBOOK_BENCH_LOOP_DELAY: loopDelayFile },
      loopDelayFile,
    }),
    reset: async () => {},
  };
}

/** Plain Ansible, or (`mitogen` given: its strategy plugins directory) Ansible + Mitogen. */
export function ansibleTool(setup: ToolSetup, playbook: string, mitogen?: string): Tool {
  const dir = join(setup.workDir, mitogen === undefined ? "ansible" : "mitogen");
  const controlDir = join(dir, "cp");
  mkdirSync(controlDir, { recursive: true });
  const config = join(dir, "ansible.cfg");
  writeFileSync(config, ansibleConfig(dir, controlDir, setup.hosts, mitogen));
  const env = { ...process.env, ANSIBLE_CONFIG: config, ANSIBLE_NOCOLOR: "1", ANSIBLE_HOME: dir };
  const base = ["ansible-playbook", "-i", setup.inventory, playbook];
  return {
    name: mitogen === undefined ? "ansible" : "mitogen",
    invocation: (phase) => ({ argv: phase === "check" ? [...base, "--check"] : base, env }),
    // Fresh hosts have new host keys and no masters: start the next first run cold, as runbook does.
    reset: () => closeMasters(controlDir),
  };
}

function ansibleConfig(dir: string, controlDir: string, hosts: number, mitogen: string | undefined): string {
  return [
    "[defaults]",
    ...(mitogen === undefined ? [] : [`strategy_plugins = ${mitogen}`, "strategy = mitogen_linear"]),
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

/** Installs a Debian package (ansible-core, ansible-mitogen) when `present` says it is missing. */
async function ensurePackage(name: string, present: () => Promise<boolean>): Promise<void> {
  if (await present()) return;
  process.stderr.write(`${name} not found: apt-get install ${name}\n`);
  const install = await spawnCollect(["sh", "-c", `apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q ${name}`]);
  if (install.rc !== 0) throw new Error(`cannot install ${name}:\n${install.output.slice(-2000)}`);
}

export async function ensureAnsible(): Promise<void> {
  await ensurePackage("ansible-core", async () => (await spawnCollect(["sh", "-c", "command -v ansible-playbook"])).rc === 0);
}

/** Installs ansible-mitogen if needed; returns its strategy plugins directory (from `dpkg -L`). */
export async function ensureMitogen(): Promise<string> {
  const listing = async (): Promise<string | undefined> => {
    const files = await spawnCollect(["dpkg", "-L", "ansible-mitogen"]);
    return files.rc === 0 ? strategyDir(files.output) : undefined;
  };
  await ensurePackage("ansible-mitogen", async () => (await listing()) !== undefined);
  const dir = await listing();
  if (dir === undefined) throw new Error("ansible-mitogen is installed but lists no plugins/strategy/mitogen_linear.py");
  return dir;
}

/** The directory of mitogen_linear.py in a `dpkg -L` listing: the package's own, not its copy under ansible/. */
export function strategyDir(listing: string): string | undefined {
  const files = listing.split("\n").map((line) => line.trim()).filter((line) => line.endsWith("/plugins/strategy/mitogen_linear.py"));
  const own = files.find((file) => file.includes("/ansible_mitogen/")) ?? files[0];
  return own?.slice(0, own.lastIndexOf("/"));
}
