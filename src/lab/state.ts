/**
 * The lab's state on disk, under `<stateRoot>/<name>/` (stateRoot defaults to `.runbook/lab`
 * in the current directory). state.json is written before anything is created and after
 * every host, so a killed `lab up` leaves enough behind for the next run to clean up.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { RunbookError } from "../errors.js";

export type InitKind = "light" | "systemd";

/** A process, told apart from a later process that reuses its pid by its start time. */
export interface ProcessRef {
  readonly pid: number;
  /** Field 22 of /proc/PID/stat (clock ticks since boot). */
  readonly start: number;
}

export interface HostState {
  readonly name: string;
  readonly address: string;
  readonly underlayAddress?: string | undefined;
  /** Inventory groups the host is listed in (`lab` for generated hosts). */
  readonly groups: readonly string[];
  /** PID 1 of the host (tini or systemd), as the machine sees it. */
  readonly init: ProcessRef;
  /** The process that made the namespaces (unshare, or the systemd-nspawn wrapper). */
  readonly launcher: ProcessRef;
  readonly veth: string;
  readonly underlayVeth?: string | undefined;
  /** Absolute cgroup directories made for the host, one per hierarchy. */
  readonly cgroups: readonly string[];
  /** A bind-mounted network namespace file (systemd hosts), to unmount on teardown. */
  readonly netnsFile?: string | undefined;
}

export interface NatState {
  readonly table: string;
  /** net.ipv4.ip_forward before the lab turned it on, restored when the last NAT lab goes. */
  readonly forwardWas: string;
}

export interface LabState {
  readonly version: 1;
  readonly name: string;
  readonly subnet: string;
  readonly underlaySubnet?: string | undefined;
  readonly init: InitKind;
  readonly bridge: string;
  readonly underlayBridge?: string | undefined;
  readonly nat?: NatState | undefined;
  readonly packages?: readonly string[] | undefined;
  /** The rootfs directory systemd hosts overlay (they need it as long as they run). */
  readonly rootfs?: string | undefined;
  readonly hosts: readonly HostState[];
}

export interface LabPaths {
  readonly root: string;
  readonly dir: string;
  readonly stateFile: string;
  readonly privateKey: string;
  readonly publicKey: string;
  readonly knownHosts: string;
  readonly inventory: string;
  readonly hostsDir: string;
  readonly initScript: string;
  readonly systemdScript: string;
  readonly netnsDir: string;
}

export const DEFAULT_STATE_ROOT = ".runbook/lab";

export function labPaths(name: string, stateRoot: string = DEFAULT_STATE_ROOT): LabPaths {
  const root = resolve(stateRoot);
  const dir = join(root, name);
  return {
    root,
    dir,
    stateFile: join(dir, "state.json"),
    privateKey: join(dir, "id_ed25519"),
    publicKey: join(dir, "id_ed25519.pub"),
    knownHosts: join(dir, "known_hosts"),
    inventory: join(dir, "inventory.yaml"),
    hostsDir: join(dir, "hosts"),
    initScript: join(dir, "host-init.sh"),
    systemdScript: join(dir, "systemd-host.sh"),
    netnsDir: join(dir, "netns"),
  };
}

/** Beside the lab's directory (which `lab down` removes), so the lock outlives it. */
export function labLockDir(paths: LabPaths): string {
  return `${paths.dir}.lock`;
}

export function hostDir(paths: LabPaths, host: string): string {
  return join(paths.hostsDir, host);
}

/** Every lab with state under the state root (for checks across labs). */
export function allLabStates(root: string): LabState[] {
  let entries: string[];
  try {
    entries = readdirSync(root);
  } catch {
    return [];
  }
  return entries
    .filter((entry) => !entry.startsWith("."))
    .flatMap((entry) => {
      try {
        const state = readState(labPaths(entry, root));
        return state ? [state] : [];
      } catch {
        return [];
      }
    });
}

export function readState(paths: LabPaths): LabState | undefined {
  if (!existsSync(paths.stateFile)) return undefined;
  try {
    const state = JSON.parse(readFileSync(paths.stateFile, "utf8")) as LabState;
    return state.version === 1 ? state : undefined;
  } catch (error) {
    throw new RunbookError("runtime", `cannot read lab state ${paths.stateFile}: ${String(error)}`, {
      hint: "remove the lab's state directory by hand, after `runbook lab down` could not",
      cause: error,
    });
  }
}

/** Writes state.json atomically (temporary file + rename). */
export function writeState(paths: LabPaths, state: LabState): void {
  mkdirSync(paths.dir, { recursive: true });
  const temp = `${paths.stateFile}.tmp`;
  writeFileSync(temp, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(temp, paths.stateFile);
}
