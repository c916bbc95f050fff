/**
 * The Debian bookworm rootfs systemd hosts boot, built once with debootstrap and cached under
 * `<stateRoot>/rootfs/` (shared by all labs; keyed by the extra package list). A lock
 * directory keeps two labs from building the same rootfs at once; a build goes to a temporary
 * directory and is renamed into place only when complete.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { RunbookError } from "../errors.js";
import { machineAptSources, mirrorFor } from "./apt-sources.js";
import { acquireLock } from "./lock.js";
import { isAlive } from "./process.js";
import { allLabStates } from "./state.js";
import { run } from "./run.js";

export const SUITE = "bookworm";

export const BASE_PACKAGES = [
  "systemd", "systemd-sysv", "dbus", "openssh-server", "iproute2", "iputils-ping",
  "python3", "sudo", "procps", "ca-certificates",
  // not in the list, but `modprobe` must work in a host as on a server
  "kmod",
];

const PACKAGE = /^[a-z0-9][a-z0-9.+-]+$/;

/** The cache directory for a package list: `bookworm`, or `bookworm-<hash>` with extras. */
export function rootfsDir(stateRoot: string, packages: readonly string[] = []): string {
  const extras = [...new Set(packages)].sort();
  for (const name of extras) {
    if (!PACKAGE.test(name)) {
      throw new RunbookError("options", `invalid Debian package name '${name}' in --packages`, {
        hint: "package names use lowercase letters, digits, '.', '+' and '-'",
      });
    }
  }
  const key = extras.length === 0 ? SUITE : `${SUITE}-${createHash("sha256").update(extras.join(",")).digest("hex").slice(0, 12)}`;
  return join(stateRoot, "rootfs", key);
}

const MARKER = ".runbook-complete";

/** Complete, and built with exactly this package list (the marker records it). */
function isComplete(dir: string, include: string): boolean {
  try {
    return readFileSync(join(dir, MARKER), "utf8").trim() === include;
  } catch {
    return false;
  }
}

/** Base packages, then the extras sorted: the same list for the same set in any order. */
export function includeList(packages: readonly string[]): string {
  return [...new Set([...BASE_PACKAGES, ...[...packages].sort()])].join(",");
}

/** Settings every systemd host needs, baked into the rootfs once. */
function configureRootfs(dir: string): void {
  const system = join(dir, "etc", "systemd", "system");
  mkdirSync(join(system, "multi-user.target.wants"), { recursive: true });
  // gettys would fight over the machine's console
  for (const unit of ["console-getty.service", "getty@tty1.service"]) {
    rmSync(join(system, unit), { force: true });
    symlinkSync("/dev/null", join(system, unit));
  }
  const sshWants = join(system, "multi-user.target.wants", "ssh.service");
  if (!existsSync(sshWants)) symlinkSync("/lib/systemd/system/ssh.service", sshWants);
  // each host gets its own host key and machine-id when it is made
  for (const kind of ["rsa", "ecdsa", "ed25519"]) {
    rmSync(join(dir, "etc", "ssh", `ssh_host_${kind}_key`), { force: true });
    rmSync(join(dir, "etc", "ssh", `ssh_host_${kind}_key.pub`), { force: true });
  }
  writeFileSync(join(dir, "etc", "machine-id"), "");
  rmSync(join(dir, "var", "cache", "apt", "archives"), { recursive: true, force: true });
  mkdirSync(join(dir, "var", "cache", "apt", "archives", "partial"), { recursive: true });
}

/**
 * An outdated cached rootfs (built with another package list by an older runbook) is replaced;
 * not while systemd hosts of some lab still boot from it (their overlays read it).
 */
function refuseIfInUse(stateRoot: string, dir: string): void {
  if (!existsSync(dir)) return;
  const users = allLabStates(stateRoot).filter((lab) => lab.rootfs === dir && lab.hosts.some((host) => isAlive(host.launcher)));
  if (users.length > 0) {
    throw new RunbookError("runtime", `the cached rootfs ${dir} must be rebuilt, but lab ${users.map((lab) => lab.name).join(", ")} runs on it`, {
      hint: `bring ${users.length === 1 ? "it" : "them"} down first: runbook lab down --name ${users[0]?.name ?? ""}`,
    });
  }
}

/** The rootfs for these packages, built now if it is not cached yet. */
export async function ensureRootfs(stateRoot: string, packages: readonly string[] = []): Promise<string> {
  const dir = rootfsDir(stateRoot, packages);
  const include = includeList(packages);
  if (isComplete(dir, include)) return dir;
  mkdirSync(join(stateRoot, "rootfs"), { recursive: true });
  const unlock = await acquireLock(`${dir}.lock`, "another lab's rootfs build", 15 * 60_000);
  try {
    if (isComplete(dir, include)) return dir; // built by another lab while we waited
    const mirror = mirrorFor(machineAptSources(), SUITE);
    if (!mirror) {
      throw new RunbookError("runtime", `no apt source on this machine serves ${SUITE}`, {
        hint: "systemd hosts are built from the machine's Debian mirror: add one to /etc/apt/sources.list.d",
      });
    }
    refuseIfInUse(stateRoot, dir);
    const build = `${dir}.build`;
    rmSync(build, { recursive: true, force: true });
    const result = await run(["debootstrap", "--variant=minbase", `--include=${include}`, SUITE, build, mirror]);
    if (result.rc !== 0) {
      const log = join(build, "debootstrap", "debootstrap.log");
      throw new RunbookError("runtime", `debootstrap of the ${SUITE} rootfs failed (exit ${result.rc}): ${result.stderr.trim().split("\n").slice(-3).join(" ")}`, {
        hint: existsSync(log) ? `see ${log}` : "check the mirror and the package names given with --packages",
      });
    }
    configureRootfs(build);
    writeFileSync(join(build, MARKER), `${include}\n`);
    rmSync(dir, { recursive: true, force: true });
    renameSync(build, dir);
    if (!isComplete(dir, include)) throw new RunbookError("runtime", `could not move the built rootfs into ${dir}`);
    return dir;
  } finally {
    unlock();
  }
}
