/**
 * Host-key policy for one connection, given to ssh2 as its `hostVerifier` callback.
 * strict: only keys in known_hosts; accept-new: unknown keys are trusted and recorded;
 * off: no check. A changed or revoked key is refused in every mode but "off".
 */
import { appendFileSync, mkdirSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import type { ServerHostKeyAlgorithm } from "ssh2";
import { UnreachableError } from "./types.js";
import { checkHostKey, keyTypeOfBlob, knownHostName, knownKeyTypes, parseKnownHosts, type KnownHostEntry } from "./known-hosts.js";

export type HostKeyChecking = "strict" | "accept-new" | "off";

export interface HostKeyPolicy {
  /** Inventory name, for messages. */
  readonly host: string;
  readonly address: string;
  readonly port: number;
  readonly knownHostsFile: string;
  readonly mode: HostKeyChecking;
}

/** ssh2's own default host-key algorithm order; known types are moved to the front. */
const DEFAULT_HOST_KEY_ALGORITHMS: ServerHostKeyAlgorithm[] = [
  "ssh-ed25519",
  "ecdsa-sha2-nistp256",
  "ecdsa-sha2-nistp384",
  "ecdsa-sha2-nistp521",
  "rsa-sha2-512",
  "rsa-sha2-256",
  "ssh-rsa",
];

/** Key blob type -> the signature algorithms that use it. */
function algorithmsFor(keyType: string): ServerHostKeyAlgorithm[] {
  return keyType === "ssh-rsa" ? ["rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"] : DEFAULT_HOST_KEY_ALGORITHMS.filter((a) => a === keyType);
}

export class HostKeyVerifier {
  /** Why the key was refused, once `verify` said no (ssh2 only reports a generic handshake failure). */
  refusal: UnreachableError | undefined;
  private readonly entries: KnownHostEntry[];
  private readonly name: string;

  constructor(private readonly policy: HostKeyPolicy) {
    this.name = knownHostName(policy.address, policy.port);
    this.entries = policy.mode === "off" ? [] : readKnownHosts(policy.knownHostsFile);
  }

  /**
   * Host-key algorithms to offer: the types already known for this host first, as OpenSSH does,
   * so a host with an RSA key on file is not asked for its ed25519 key (which would look unknown).
   */
  hostKeyAlgorithms(): ServerHostKeyAlgorithm[] {
    const preferred = knownKeyTypes(this.entries, this.name).flatMap(algorithmsFor);
    return [...new Set([...preferred, ...DEFAULT_HOST_KEY_ALGORITHMS])];
  }

  /** The ssh2 `hostVerifier`: receives the raw key blob. */
  readonly verify = (blob: Buffer): boolean => {
    if (this.policy.mode === "off") return true;
    const keyType = keyTypeOfBlob(blob);
    const key = blob.toString("base64");
    const verdict = checkHostKey(this.entries, this.name, keyType, key);
    const { host, address, port, knownHostsFile } = this.policy;
    switch (verdict.kind) {
      case "known":
        return true;
      case "revoked":
        return this.refuse(`${host}: the ${keyType} host key of ${this.name} is marked @revoked in ${knownHostsFile}:${verdict.line}; refusing to connect`);
      case "changed":
        return this.refuse(
          `${host}: WARNING: THE HOST KEY OF ${this.name} HAS CHANGED! The ${keyType} key differs from ${knownHostsFile}:${verdict.line}. ` +
            `Someone could be intercepting the connection, or the host was reinstalled. Refusing to connect. ` +
            `If the change is expected, remove the old key with: ssh-keygen -f ${knownHostsFile} -R '${this.name}'`,
        );
      case "unknown":
        if (this.policy.mode === "accept-new") {
          appendKnownHost(knownHostsFile, `${this.name} ${keyType} ${key}`);
          return true;
        }
        return this.refuse(
          `${host}: the ${keyType} host key of ${this.name} is not in ${knownHostsFile}` +
            (verdict.otherTypes.length > 0 ? ` (only ${verdict.otherTypes.join(", ")} keys are known for it)` : "") +
            `; run with --accept-new-host-keys or: ssh-keyscan -p ${port} ${address} >> ${knownHostsFile}`,
        );
    }
  };

  private refuse(message: string): false {
    this.refusal = new UnreachableError(this.policy.host, "host-key", message);
    return false;
  }
}

function readKnownHosts(file: string): KnownHostEntry[] {
  return parseKnownHosts(readKnownHostsText(file));
}

function readKnownHostsText(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return "";
    throw error;
  }
}

/** One appended line; O_APPEND keeps concurrent writers from interleaving such short writes. */
function appendKnownHost(file: string, line: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const existing = readKnownHostsText(file);
  const separator = existing === "" || existing.endsWith("\n") ? "" : "\n";
  appendFileSync(file, `${separator}${line}\n`, { mode: 0o600 });
}
