/**
 * Units every systemd host gets in its upper layer (next to its identity), for what the
 * container runtime needs that systemd-nspawn does not give on a cgroup-v1 machine.
 */
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * nspawn mounts the legacy (v1) cgroup controllers read-only; runc (docker, containerd) must
 * create cgroups in them. The mounts are the host's own cgroup subtree (a cgroup namespace
 * rooted at the lab's per-host cgroup), so making them writable reaches nothing outside it.
 */
export const CGROUP_RW_UNIT = [
  "[Unit]",
  "Description=Writable cgroup controllers for container runtimes (runbook lab)",
  "DefaultDependencies=no",
  "After=local-fs.target",
  "Before=containerd.service docker.service",
  "",
  "[Service]",
  "Type=oneshot",
  "RemainAfterExit=yes",
  "ExecStart=/bin/sh -c 'for m in /sys/fs/cgroup /sys/fs/cgroup/*; do mountpoint -q \"$m\" && mount -o remount,bind,rw \"$m\"; done; true'",
  "",
  "[Install]",
  "WantedBy=sysinit.target",
  "",
].join("\n");

export function seedSystemdUnits(upper: string): void {
  const system = join(upper, "etc", "systemd", "system");
  mkdirSync(join(system, "sysinit.target.wants"), { recursive: true });
  writeFileSync(join(system, "runbook-cgroup-rw.service"), CGROUP_RW_UNIT);
  const wants = join(system, "sysinit.target.wants", "runbook-cgroup-rw.service");
  rmSync(wants, { force: true });
  symlinkSync("/etc/systemd/system/runbook-cgroup-rw.service", wants);
}
