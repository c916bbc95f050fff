/**
 * Tearing down a lab, or what is left of one: by the recorded state where there is one and by
 * the names the lab uses where there is not (after a reboot, a killed shell, a lost state
 * file). Every step tolerates things already gone, so it is safe to run at any time.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from "node:fs";
import { basename, join } from "node:path";
import { cgroupPids, findLabCgroups, machineHierarchies, removeCgroups } from "./cgroup.js";
import { mountsUnder, readMountInfo } from "./mountinfo.js";
import { bridgeName, cgroupName, nftTableName, underlayBridgeName } from "./naming.js";
import { deleteNat, labNatTables, natTableExists, readForward, setForward } from "./nat.js";
import { deleteLinks, listLinks } from "./network.js";
import { OptionsError } from "../errors.js";
import { currentInit } from "./host-systemd.js";
import { processRef, stopProcesses } from "./process.js";
import { hostDir, readState, type HostState, type InitKind, type LabPaths, type LabState, type ProcessRef } from "./state.js";
import { run } from "./run.js";

/** Unmounts everything mounted at or below `dir` on the machine (netns files, overlays), deepest first. */
export async function unmountUnder(dir: string): Promise<void> {
  for (const point of mountsUnder(readMountInfo(), dir)) {
    await run(["umount", "-l", point]);
  }
}

/**
 * TERM goes to tini (light: it passes it on and exits) or to systemd-nspawn (systemd: it shuts
 * the container down in order); never to systemd itself, which takes TERM as "re-execute".
 * A systemd host rebooted since it was made runs another PID 1 than the recorded one: the one
 * running now is waited for (and killed after the grace time) too.
 */
function stopPlan(host: HostState, kind: InitKind): { term: ProcessRef[]; all: ProcessRef[] } {
  const init = currentInit(host);
  const all = [host.init, host.launcher, ...(init === undefined || init === host.init ? [] : [init])];
  return { term: kind === "systemd" ? [host.launcher] : [host.init, host.launcher], all };
}

/** Stops and removes one host: processes, netns file, veths, cgroups, its directory. */
export async function teardownHost(paths: LabPaths, host: HostState, kind: InitKind): Promise<void> {
  const plan = stopPlan(host, kind);
  await stopProcesses(plan.term, plan.all);
  const dir = hostDir(paths, host.name);
  await unmountUnder(dir);
  if (host.netnsFile) await unmountUnder(host.netnsFile);
  await deleteLinks([host.veth, ...(host.underlayVeth ? [host.underlayVeth] : [])]);
  await removeCgroups(host.cgroups);
  if (host.netnsFile) rmSync(host.netnsFile, { force: true });
  if (existsSync(dir)) discard(paths, dir);
}

export interface TeardownOptions {
  /** Keep the lab's ssh key (when cleaning leftovers before bringing the lab up again). */
  readonly keepKey: boolean;
}

/**
 * Removes every trace of the lab: processes (TERM, then KILL), mounts, veths and bridges, the
 * nft table (ip_forward back to its old value when no lab NAT remains), cgroups, state.
 */
export async function teardownLab(paths: LabPaths, name: string, options: TeardownOptions): Promise<void> {
  const state = readState(paths);
  const hosts = state?.hosts ?? [];
  const plans = hosts.map((host) => stopPlan(host, state?.init ?? "light"));
  await stopProcesses(plans.flatMap((plan) => plan.term), plans.flatMap((plan) => plan.all));
  await unmountUnder(paths.dir);
  await deleteLabLinks(name, state);
  await deleteLabNat(name, state);
  const cgroups = [...hosts.flatMap((host) => host.cgroups), ...findLabCgroups(machineHierarchies(), cgroupName(name, ""))];
  await killStragglers(cgroups);
  await removeCgroups(cgroups);
  removeStateDir(paths, options.keepKey);
}

/**
 * Kills what still runs in the lab's cgroups: hosts whose pids were lost with the state file
 * (each host's processes all live in its cgroup subtree).
 */
async function killStragglers(cgroups: readonly string[]): Promise<void> {
  const refs = cgroupPids(cgroups)
    .filter((pid) => pid !== process.pid)
    .map(processRef)
    .filter((ref): ref is ProcessRef => ref !== undefined);
  if (refs.length > 0) await stopProcesses([], refs, 0);
}

async function deleteLabLinks(name: string, state: LabState | undefined): Promise<void> {
  const bridges = [bridgeName(name), underlayBridgeName(name), state?.bridge, state?.underlayBridge].filter(
    (bridge): bridge is string => bridge !== undefined,
  );
  const links = await listLinks();
  const veths = new Set(state?.hosts.flatMap((host) => [host.veth, host.underlayVeth ?? ""]).filter(Boolean) ?? []);
  for (const link of links) {
    if (link.master !== undefined && bridges.includes(link.master)) veths.add(link.ifname);
  }
  const present = new Set(links.map((link) => link.ifname));
  await deleteLinks([...veths, ...new Set(bridges)].filter((link) => present.has(link)));
}

async function deleteLabNat(name: string, state: LabState | undefined): Promise<void> {
  const table = state?.nat?.table ?? nftTableName(name);
  if (!(await natTableExists(table).catch(() => false))) return;
  await deleteNat(table);
  if ((await labNatTables()).length === 0 && state?.nat?.forwardWas === "0" && readForward() !== "0") {
    await setForward("0");
  }
}

function removeStateDir(paths: LabPaths, keepKey: boolean): void {
  if (!existsSync(paths.dir)) return;
  if (!keepKey) {
    discard(paths, paths.dir);
    return;
  }
  const keep = new Set(["id_ed25519", "id_ed25519.pub"]);
  for (const entry of readdirSync(paths.dir)) {
    if (!keep.has(entry)) discard(paths, join(paths.dir, entry));
  }
}

/**
 * Removes a directory tree without waiting for the disk: unlinking thousands of small files
 * took seconds on a busy machine, so the tree is renamed into `<stateRoot>/.trash/` (gone from
 * the lab at once) and deleted there by a detached `rm -rf`.
 */
function discard(paths: LabPaths, path: string): void {
  const trash = join(paths.root, ".trash");
  mkdirSync(trash, { recursive: true });
  const target = join(trash, `${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}`);
  try {
    renameSync(path, target);
  } catch {
    rmSync(path, { recursive: true, force: true });
    return;
  }
  const child = spawn("rm", ["-rf", "--one-file-system", "--", target], { detached: true, stdio: "ignore" });
  child.on("error", () => undefined);
  child.unref();
}

/**
 * The state directory of another project that owns a lab of this name, or undefined. The
 * bridge's alias records its owner. A bridge without alias (made by an older runbook) counts
 * as foreign when it still has hosts attached and this project has no state for the lab.
 */
export async function foreignOwner(paths: LabPaths, name: string): Promise<string | undefined> {
  const links = await listLinks();
  for (const bridge of [bridgeName(name), underlayBridgeName(name)]) {
    const link = links.find((candidate) => candidate.ifname === bridge);
    if (!link) continue;
    const owner = link.ifalias || undefined;
    if (owner === paths.dir) continue;
    if (owner !== undefined && existsSync(join(owner, "state.json"))) return owner;
    const attached = links.some((candidate) => candidate.master === bridge);
    if (owner === undefined && attached && !existsSync(paths.stateFile)) return "a project unknown (bridge without owner)";
  }
  return undefined;
}

/**
 * Refuses to touch a lab of the same name that belongs to another project: the names of
 * bridges, veths, nft table and cgroups derive from the lab name alone.
 */
export async function checkOwnership(paths: LabPaths, name: string): Promise<void> {
  const owner = await foreignOwner(paths, name);
  if (owner !== undefined) {
    throw new OptionsError(`lab ${name} is in use by another project (${owner})`, {
      hint: "pick another --name, or bring that lab down from its own project directory",
    });
  }
}

/** Whether anything of the lab is still on the machine (bridge, nft table, mounts, cgroups, state). */
export async function hasLeftovers(paths: LabPaths, name: string): Promise<boolean> {
  const links = await listLinks();
  const names = new Set(links.map((link) => link.ifname));
  if (names.has(bridgeName(name)) || names.has(underlayBridgeName(name))) return true;
  if (existsSync(paths.stateFile)) return true;
  if (mountsUnder(readMountInfo(), paths.dir).length > 0) return true;
  if (await natTableExists(nftTableName(name)).catch(() => false)) return true;
  return findLabCgroups(machineHierarchies(), cgroupName(name, "")).length > 0;
}
