/**
 * Per-host cgroup subtrees. Each host gets a directory below the lab's own cgroup in every
 * hierarchy and its own cgroup namespace rooted there, so docker or kubelet inside a host see
 * their own cgroup root and leave nothing at the hierarchy roots.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readMountInfo, type MountEntry } from "./mountinfo.js";
import { sleep } from "./process.js";

export interface Hierarchy {
  /** Where the machine mounts it, e.g. /sys/fs/cgroup/memory. */
  readonly mountPoint: string;
  readonly fsType: "cgroup" | "cgroup2";
  /** Mount options that recreate it inside a host: "memory", "none,name=systemd", "" for cgroup2. */
  readonly options: string;
  /** This process's cgroup in it, relative to the mount. */
  readonly current: string;
}

/** Pure: hierarchies from mountinfo and /proc/self/cgroup text. */
export function parseHierarchies(mounts: readonly MountEntry[], procCgroup: string): Hierarchy[] {
  const current = new Map<string, string>();
  for (const line of procCgroup.split("\n")) {
    const match = /^(\d+):([^:]*):(.*)$/.exec(line);
    if (match) current.set(match[2] ?? "", match[3] ?? "/");
  }
  const hierarchies: Hierarchy[] = [];
  for (const mount of mounts) {
    if (mount.fsType === "cgroup2") {
      hierarchies.push({ mountPoint: mount.mountPoint, fsType: "cgroup2", options: "", current: current.get("") ?? "/" });
    } else if (mount.fsType === "cgroup") {
      const controllers = mount.superOptions.filter((option) => !["rw", "ro", "relatime", "noexec", "nosuid", "nodev"].includes(option) && !option.startsWith("release_agent") && option !== "clone_children" && option !== "xattr");
      const key = controllers.join(",");
      const named = controllers.every((option) => option.startsWith("name="));
      hierarchies.push({
        mountPoint: mount.mountPoint,
        fsType: "cgroup",
        options: named ? `none,${key}` : key,
        current: current.get(key) ?? "/",
      });
    }
  }
  // one entry per mount point (a hierarchy may be mounted twice)
  return hierarchies.filter((h, i) => hierarchies.findIndex((other) => other.mountPoint === h.mountPoint) === i);
}

export function machineHierarchies(): Hierarchy[] {
  return parseHierarchies(readMountInfo(), readFileSync("/proc/self/cgroup", "utf8"));
}

/** Creates the host's cgroup directory in every hierarchy; returns their absolute paths. */
export function createHostCgroups(hierarchies: readonly Hierarchy[], name: string): string[] {
  const dirs: string[] = [];
  for (const hierarchy of hierarchies) {
    const parent = join(hierarchy.mountPoint, hierarchy.current);
    const dir = join(parent, name);
    mkdirSync(dir, { recursive: true });
    // a v1 cpuset child starts empty and accepts no task until cpus and mems are set
    if (existsSync(join(dir, "cpuset.cpus"))) {
      for (const file of ["cpuset.cpus", "cpuset.mems"]) {
        if (readFileSync(join(dir, file), "utf8").trim() === "") {
          writeFileSync(join(dir, file), readFileSync(join(parent, file), "utf8"));
        }
      }
    }
    dirs.push(dir);
  }
  return dirs;
}

/** Pids in the cgroup directories and everything below them (the processes of lost hosts). */
export function cgroupPids(dirs: readonly string[]): number[] {
  const pids = new Set<number>();
  const walk = (dir: string): void => {
    let entries: string[];
    try {
      entries = readdirSync(dir);
      for (const line of readFileSync(join(dir, "cgroup.procs"), "utf8").split("\n")) if (line.trim()) pids.add(Number(line));
    } catch {
      return;
    }
    for (const entry of entries) if (isDirectory(join(dir, entry))) walk(join(dir, entry));
  };
  for (const dir of dirs) walk(dir);
  return [...pids];
}

/**
 * Removes cgroup directories (and whatever docker/systemd made below them) once their
 * processes are gone; the kernel frees a cgroup a moment after its last task exits, so retry.
 */
export async function removeCgroups(dirs: readonly string[]): Promise<string[]> {
  let left = dirs.filter(existsSync);
  for (let attempt = 0; attempt < 20 && left.length > 0; attempt++) {
    for (const dir of left) removeTree(dir);
    left = left.filter(existsSync);
    if (left.length > 0) await sleep(100);
  }
  return left;
}

function removeTree(dir: string): void {
  let children: string[] = [];
  try {
    children = readdirSync(dir).filter((entry) => isDirectory(join(dir, entry)));
  } catch {
    return;
  }
  for (const child of children) removeTree(join(dir, child));
  try {
    rmdirSync(dir);
  } catch {
    // busy: retried by the caller
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Lab cgroup directories left anywhere within `depth` levels of each hierarchy's root. */
export function findLabCgroups(hierarchies: readonly Hierarchy[], prefix: string, depth = 4): string[] {
  const found: string[] = [];
  const walk = (dir: string, level: number): void => {
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry);
      if (!isDirectory(path)) continue;
      if (entry.startsWith(prefix)) found.push(path);
      else if (level < depth) walk(path, level + 1);
    }
  };
  for (const hierarchy of hierarchies) walk(hierarchy.mountPoint, 1);
  return found;
}
