/**
 * What a lab hands out: the lab's ssh key (made once per lab), known_hosts with every host's
 * key (so host-key checking stays on), inventory.yaml, and the LabInfo summary.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { generateKeyPair } from "./host-seed.js";
import { currentInit } from "./host-systemd.js";
import { renderInventory, renderKnownHosts } from "./inventory-writer.js";
import { hostDir, type InitKind, type LabPaths, type LabState } from "./state.js";

export interface LabHostInfo {
  readonly name: string;
  readonly address: string;
  readonly pid: number;
}

export interface LabInfo {
  readonly name: string;
  readonly subnet: string;
  readonly init: InitKind;
  readonly inventoryFile: string;
  readonly keyFile: string;
  readonly knownHostsFile: string;
  readonly hosts: readonly LabHostInfo[];
}

/** The summary `lab up` returns (and tests use). */
export function labInfo(paths: LabPaths, state: LabState): LabInfo {
  return {
    name: state.name,
    subnet: state.subnet,
    init: state.init,
    inventoryFile: paths.inventory,
    keyFile: paths.privateKey,
    knownHostsFile: paths.knownHosts,
    hosts: state.hosts.map((host) => ({ name: host.name, address: host.address, pid: (currentInit(host) ?? host.init).pid })),
  };
}

/** The lab's public key (authorized in every host); the key pair is made on first use. */
export function ensureLabKey(paths: LabPaths, name: string): string {
  if (!existsSync(paths.privateKey) || !existsSync(paths.publicKey)) {
    const pair = generateKeyPair(`runbook-lab-${name}`);
    mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
    writeFileSync(paths.privateKey, pair.privateKey, { mode: 0o600 });
    writeFileSync(paths.publicKey, pair.publicKey, { mode: 0o644 });
  }
  chmodSync(paths.privateKey, 0o600);
  return readFileSync(paths.publicKey, "utf8");
}

function hostPublicKey(paths: LabPaths, host: string): string {
  return readFileSync(join(hostDir(paths, host), "upper", "etc", "ssh", "ssh_host_ed25519_key.pub"), "utf8");
}

/** Rewrites known_hosts and inventory.yaml from the state. */
export function writeAccessFiles(paths: LabPaths, state: LabState): void {
  const ordered = state.hosts;
  writeFileSync(
    paths.knownHosts,
    renderKnownHosts(ordered.map((host) => ({ address: host.address, publicKey: hostPublicKey(paths, host.name) }))),
  );
  writeFileSync(paths.inventory, renderInventory(ordered, paths.privateKey, paths.knownHosts, state.name));
}

