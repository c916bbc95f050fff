/**
 * A light host: namespaces made by `unshare` around the machine's own root (copy-on-write
 * overlays), sshd and tini as PID 1 (see light-init-script.ts). Starts in well under a second.
 */
import { spawn } from "node:child_process";
import { closeSync, mkdirSync, openSync, readlinkSync, rmSync } from "node:fs";
import { join } from "node:path";
import { RunbookError } from "../errors.js";
import { createHostCgroups, type Hierarchy } from "./cgroup.js";
import { seedIdentity, seedRootHome, type HostIdentity } from "./host-seed.js";
import { childrenOf, isAlive, processRef, sleep } from "./process.js";
import type { ProcessRef } from "./state.js";
import { lastLines } from "./log-tail.js";

/**
 * The machine's directories a light host sees as copy-on-write overlays of its own. Every
 * directory a playbook may write to must be here (or a private mount in the init script):
 * /srv and /mnt were once shared by all light hosts, and 20 hosts editing /srv/x at once
 * raced each other on the machine's one /srv ("changed while being read").
 */
export const OVERLAID_DIRS = ["etc", "var", "usr", "opt", "srv", "mnt", "media"] as const;

/** Moves the shell into the cgroups given before "--", then execs the rest of its arguments. */
export const JOIN_CGROUPS = 'while [ "$1" != -- ]; do echo $$ > "$1/cgroup.procs"; shift; done; shift; exec "$@"';

export interface LightHostSpec {
  readonly identity: HostIdentity;
  readonly dir: string;
  readonly initScript: string;
  readonly hierarchies: readonly Hierarchy[];
  readonly cgroupName: string;
}

export interface StartedHost {
  readonly init: ProcessRef;
  readonly launcher: ProcessRef;
  readonly cgroups: string[];
}

/** Lays out a fresh host directory: overlay layers, private /root and /home, docker dirs. */
export function prepareLightHostDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  for (const sub of OVERLAID_DIRS) {
    mkdirSync(join(dir, "upper", sub), { recursive: true, mode: 0o755 });
    mkdirSync(join(dir, "work", sub), { recursive: true });
  }
  for (const sub of ["home", "vlib-docker", "vlib-containerd"]) mkdirSync(join(dir, sub), { recursive: true });
  seedRootHome(join(dir, "root"));
}

/** The cgroup mounts to recreate inside the host, as the script's trailing argument triples. */
export function cgroupMountArgs(hierarchies: readonly Hierarchy[]): string[] {
  return hierarchies.flatMap((h) => {
    const relative = h.mountPoint === "/sys/fs/cgroup" ? "." : h.mountPoint.replace(/^\/sys\/fs\/cgroup\//, "");
    return [relative, h.fsType, h.options];
  });
}

export async function startLightHost(spec: LightHostSpec): Promise<StartedHost> {
  prepareLightHostDir(spec.dir);
  seedIdentity(join(spec.dir, "upper"), join(spec.dir, "root"), spec.identity);
  const cgroups = createHostCgroups(spec.hierarchies, spec.cgroupName);
  const unshare = [
    "unshare", "--net", "--uts", "--ipc", "--mount", "--pid", "--cgroup", "--fork",
    "--propagation", "private", "--kill-child",
    "sh", spec.initScript, spec.identity.name, spec.dir, ...cgroupMountArgs(spec.hierarchies),
  ];
  const log = openSync(join(spec.dir, "init.log"), "a");
  const child = spawn("sh", ["-c", JOIN_CGROUPS, "sh", ...cgroups, "--", ...unshare], {
    detached: true, // own session: the host outlives `lab up`
    stdio: ["ignore", log, log],
  });
  closeSync(log);
  child.unref();
  const launcher = child.pid === undefined ? undefined : processRef(child.pid);
  if (!launcher) throw hostError(spec, "could not start unshare");
  const init = await waitForNamespaceInit(launcher, Date.now() + 10_000);
  if (!init) throw hostError(spec, isAlive(launcher) ? "its namespaces did not come up within 10 s" : "its init exited as it started");
  return { init, launcher, cgroups };
}

/** The first child of `unshare` once it runs in a network namespace of its own; undefined once `unshare` is gone. */
async function waitForNamespaceInit(launcher: ProcessRef, deadline: number): Promise<ProcessRef | undefined> {
  const ownNet = readlinkSync("/proc/self/ns/net");
  while (Date.now() < deadline && isAlive(launcher)) {
    const [pid] = childrenOf(launcher.pid);
    if (pid !== undefined) {
      try {
        if (readlinkSync(`/proc/${pid}/ns/net`) !== ownNet) return processRef(pid);
      } catch {
        // it is just starting or already gone
      }
    }
    await sleep(5);
  }
  return undefined;
}

function hostError(spec: LightHostSpec, why: string): RunbookError {
  const log = join(spec.dir, "init.log");
  return new RunbookError("runtime", `lab host ${spec.identity.name}: ${why}${logTail(log)}`, {
    hint: `see ${log}`,
  });
}

/** The end of the host's init log, quoted in the error: the lab's state (and the log) may be gone by the time someone looks. */
function logTail(file: string): string {
  const lines = lastLines(file, 5);
  return lines.length > 0 ? `\n  init.log: ${lines.join("\n  init.log: ")}` : "";
}
