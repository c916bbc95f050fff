/** Helpers for tests that use lab hosts: ssh with host-key checking on, machine-side probes. */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, type Dirent } from "node:fs";
import { promisify } from "node:util";
import { labDown, labExec, labUp, type LabInfo, type LabUpOptions } from "../../src/lab/index.js";

const execFileAsync = promisify(execFile);

export interface SshResult {
  readonly rc: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a remote command with the system ssh, strict host-key checking against the lab's known_hosts. */
export async function labSsh(lab: Pick<LabInfo, "keyFile" | "knownHostsFile">, address: string, command: string): Promise<SshResult> {
  const argv = [
    "-o", "StrictHostKeyChecking=yes",
    "-o", `UserKnownHostsFile=${lab.knownHostsFile}`,
    "-o", "BatchMode=yes",
    "-o", "ConnectTimeout=5",
    "-i", lab.keyFile,
    `root@${address}`,
    command,
  ];
  try {
    const { stdout, stderr } = await execFileAsync("ssh", argv, { timeout: 60_000 });
    return { rc: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { rc: typeof failed.code === "number" ? failed.code : -1, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
  }
}

export async function machineLinks(): Promise<{ ifname: string; master?: string }[]> {
  const { stdout } = await execFileAsync("ip", ["-j", "link", "show"]);
  return JSON.parse(stdout) as { ifname: string; master?: string }[];
}

export function mountPointsUnder(dir: string): string[] {
  return readFileSync("/proc/self/mountinfo", "utf8")
    .split("\n")
    .map((line) => line.split(" ")[4] ?? "")
    .filter((point) => point === dir || point.startsWith(`${dir}/`));
}

export async function nftTables(): Promise<string> {
  const { stdout } = await execFileAsync("nft", ["list", "tables"]);
  return stdout;
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, "utf8"));
  } catch {
    return false;
  }
}

/** Cgroup directories whose name starts with `prefix`, anywhere in the machine's hierarchies (shallow walk). */
export function cgroupDirs(prefix: string, root = "/sys/fs/cgroup", depth = 5): string[] {
  const found: string[] = [];
  const walk = (dir: string, level: number): void => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (!entry.isDirectory()) continue;
      if (entry.name.startsWith(prefix)) found.push(`${dir}/${entry.name}`);
      else if (level < depth) walk(`${dir}/${entry.name}`, level + 1);
    }
  };
  walk(root, 0);
  return found;
}

/** Six hex digits naming this directory (worktree), to keep its labs apart from other worktrees'. */
export function worktreeTag(): string {
  return createHash("sha256").update(process.cwd()).digest("hex").slice(0, 6);
}

/**
 * A test lab's name: `t<base>-<hash of this directory>`, so the same test running in several
 * worktrees on one machine makes separate labs (names, bridges and subnets all differ).
 */
export function testLabName(base: string): string {
  return `t${base}-${worktreeTag()}`;
}

/** Waits until systemd on a lab host finished booting; its last `is-system-running` answer (running or degraded once booted). */
export async function waitUntilBooted(lab: string, host: string, attempts = 120): Promise<string> {
  let state = "";
  for (let attempt = 0; attempt < attempts; attempt++) {
    state = (await labExec(lab, host, ["systemctl", "is-system-running"])).stdout.trim();
    if (state === "running" || state === "degraded") return state;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return state;
}

/** A systemd lab made afresh (what a killed earlier run left is taken down first), once every host finished booting. */
export async function bootedSystemdLab(options: LabUpOptions): Promise<LabInfo> {
  await labDown(options.name);
  const lab = await labUp({ ...options, init: "systemd" });
  const states = await Promise.all(lab.hosts.map((host) => waitUntilBooted(options.name, host.name)));
  if (states.some((state) => state !== "running" && state !== "degraded")) throw new Error(`hosts did not finish booting: ${states.join(", ")}`);
  return lab;
}
