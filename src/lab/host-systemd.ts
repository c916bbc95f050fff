/**
 * A systemd host: systemd as PID 1 (systemd-nspawn --boot) on a per-host overlay of the cached
 * Debian rootfs, in a network namespace made (and wired) before it boots. Boots to sshd in
 * about a second once the rootfs exists.
 */
import { spawn } from "node:child_process";
import { closeSync, mkdirSync, openSync, readFileSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { RunbookError } from "../errors.js";
import { createHostCgroups, type Hierarchy } from "./cgroup.js";
import { seedIdentity, type HostIdentity } from "./host-seed.js";
import { seedSystemdUnits } from "./host-systemd-units.js";
import { childrenOf, isAlive, processRef, sleep } from "./process.js";
import { mustRun } from "./run.js";
import type { HostState, ProcessRef } from "./state.js";
import { JOIN_CGROUPS, type StartedHost } from "./host-light.js";

export interface SystemdHostSpec {
  readonly identity: HostIdentity;
  readonly dir: string;
  readonly rootfs: string;
  readonly launchScript: string;
  readonly netnsFile: string;
  readonly hierarchies: readonly Hierarchy[];
  readonly cgroupName: string;
}

/** A machine name systemd-nspawn accepts (hostname characters only). */
export function machineName(host: string): string {
  return host.replace(/[^A-Za-z0-9.-]/g, "-").replace(/^[.-]+/, "").slice(0, 64) || "host";
}

/** A fresh network namespace kept alive by a bind mount on `file` (systemd-nspawn joins it by path). */
export async function createNetns(file: string): Promise<void> {
  mkdirSync(join(file, ".."), { recursive: true });
  writeFileSync(file, "");
  await mustRun(["unshare", `--net=${file}`, "true"]);
}

export function prepareSystemdHostDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  for (const sub of ["upper", "work", "merged", "vlib-docker", "vlib-containerd"]) mkdirSync(join(dir, sub), { recursive: true });
  mkdirSync(join(dir, "upper", "root"), { mode: 0o700 });
}

/** Boots the host; its network namespace must exist (and be wired) already. */
export async function startSystemdHost(spec: SystemdHostSpec): Promise<StartedHost> {
  prepareSystemdHostDir(spec.dir);
  seedIdentity(join(spec.dir, "upper"), join(spec.dir, "upper", "root"), spec.identity);
  seedSystemdUnits(join(spec.dir, "upper"));
  const cgroups = createHostCgroups(spec.hierarchies, spec.cgroupName);
  const launch = [
    "unshare", "--mount", "--propagation", "private",
    "sh", spec.launchScript, spec.identity.name, machineName(spec.identity.name), spec.dir, spec.rootfs, spec.netnsFile,
  ];
  const log = openSync(join(spec.dir, "init.log"), "a");
  const child = spawn("sh", ["-c", JOIN_CGROUPS, "sh", ...cgroups, "--", ...launch], {
    detached: true,
    stdio: ["ignore", log, log],
  });
  closeSync(log);
  child.unref();
  const launcher = child.pid === undefined ? undefined : processRef(child.pid);
  if (!launcher) throw hostError(spec, "could not start systemd-nspawn");
  const init = await waitForContainerInit(launcher.pid, Date.now() + 20_000);
  if (!init) throw hostError(spec, "systemd did not start within 20 s");
  return { init, launcher, cgroups };
}

/** The container's PID 1: a descendant of nspawn that is pid 1 in a PID namespace of its own. */
async function waitForContainerInit(launcherPid: number, deadline: number): Promise<ProcessRef | undefined> {
  while (Date.now() < deadline) {
    const init = containerInit(launcherPid);
    if (init) return init;
    await sleep(10);
  }
  return undefined;
}

/** The PID 1 of the PID namespace below `launcherPid` now, if one runs (a host between two boots has none). */
export function containerInit(launcherPid: number): ProcessRef | undefined {
  const ownPidNs = readlinkSync("/proc/self/ns/pid");
  const queue = [launcherPid];
  while (queue.length > 0) {
    const pid = queue.shift() as number;
    if (pid !== launcherPid && isNamespaceInit(pid, ownPidNs)) return processRef(pid);
    queue.push(...childrenOf(pid));
  }
  return undefined;
}

/**
 * The host's PID 1 as it runs now: the one recorded when the host was made, or, after a reboot
 * inside a systemd host (the launch script boots it again: systemd-launch-script.ts), the new
 * one below the same launcher.
 */
export function currentInit(host: Pick<HostState, "init" | "launcher">): ProcessRef | undefined {
  if (isAlive(host.init)) return host.init;
  return isAlive(host.launcher) ? containerInit(host.launcher.pid) : undefined;
}

function isNamespaceInit(pid: number, ownPidNs: string): boolean {
  try {
    if (readlinkSync(`/proc/${pid}/ns/pid`) === ownPidNs) return false;
    const nspid = /^NSpid:\s+(.*)$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]?.trim().split(/\s+/);
    return nspid?.at(-1) === "1";
  } catch {
    return false;
  }
}

function hostError(spec: SystemdHostSpec, why: string): RunbookError {
  return new RunbookError("runtime", `lab host ${spec.identity.name}: ${why}`, { hint: `see ${join(spec.dir, "init.log")}` });
}
