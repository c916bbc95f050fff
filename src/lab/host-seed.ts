/**
 * A host's identity, written straight into its overlay's upper layer before it starts (an
 * upper-layer file hides the machine's): hostname, /etc/hosts, machine-id, its own sshd host
 * key and settings, resolv.conf, the modules index, root's authorized_keys.
 */
import { randomBytes } from "node:crypto";
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { seedModules } from "./modules-index.js";
import type { KeyPair } from "./openssh-key.js";

export { generateKeyPair, type KeyPair } from "./openssh-key.js";

export interface HostIdentity {
  readonly name: string;
  /** Every lab host (name, address) for /etc/hosts. */
  readonly peers: readonly { readonly name: string; readonly address: string }[];
  readonly hostKey: KeyPair;
  readonly authorizedKey: string;
  /** The modules index to copy in, or undefined when the machine has real modules. */
  readonly modulesIndex: string | undefined;
}

export const SSHD_SETTINGS = [
  "# written by runbook lab",
  "HostKey /etc/ssh/ssh_host_ed25519_key",
  "PermitRootLogin prohibit-password",
  "PasswordAuthentication no",
  "KbdInteractiveAuthentication no",
  "UseDNS no",
  "MaxStartups 100:30:200",
  "",
].join("\n");

function write(path: string, content: string, mode = 0o644): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o755 });
  rmSync(path, { force: true });
  writeFileSync(path, content, { mode });
}

export function hostsFile(name: string, peers: HostIdentity["peers"]): string {
  const lines = ["127.0.0.1\tlocalhost", "::1\tlocalhost ip6-localhost ip6-loopback"];
  const own = peers.find((peer) => peer.name === name);
  if (!own) lines.push(`127.0.1.1\t${name}`);
  for (const peer of peers) lines.push(`${peer.address}\t${peer.name}`);
  return `${lines.join("\n")}\n`;
}

/**
 * Seeds `upper` (the directory that becomes the host's `/` upper layer: upper/etc, upper/usr)
 * and `rootHome` (the host's /root).
 */
export function seedIdentity(upper: string, rootHome: string, identity: HostIdentity): void {
  const etc = join(upper, "etc");
  write(join(etc, "hostname"), `${identity.name}\n`);
  write(join(etc, "hosts"), hostsFile(identity.name, identity.peers));
  write(join(etc, "machine-id"), `${randomBytes(16).toString("hex")}\n`, 0o444);
  write(join(etc, "ssh", "ssh_host_ed25519_key"), identity.hostKey.privateKey, 0o600);
  write(join(etc, "ssh", "ssh_host_ed25519_key.pub"), identity.hostKey.publicKey);
  write(join(etc, "ssh", "sshd_config.d", "10-runbook-lab.conf"), SSHD_SETTINGS);
  // a copy, not the machine's file: it may be a symlink into the machine's /run
  write(join(etc, "resolv.conf"), readResolvConf());
  if (identity.modulesIndex !== undefined) seedModules(identity.modulesIndex, join(upper, "usr"));
  mkdirSync(join(rootHome, ".ssh"), { recursive: true, mode: 0o700 });
  write(join(rootHome, ".ssh", "authorized_keys"), identity.authorizedKey, 0o600);
}

/** Fills a fresh /root with /etc/skel's dotfiles, as useradd would. */
export function seedRootHome(rootHome: string): void {
  mkdirSync(rootHome, { recursive: true, mode: 0o700 });
  for (const file of [".bashrc", ".profile"]) {
    try {
      copyFileSync(join("/etc/skel", file), join(rootHome, file));
    } catch {
      // no skeleton: fine
    }
  }
}

function readResolvConf(): string {
  try {
    return readFileSync("/etc/resolv.conf", "utf8");
  } catch {
    return "";
  }
}
