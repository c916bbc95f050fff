/**
 * Names the lab derives deterministically: default subnets, bridge and veth names (Linux
 * limits interface names to 15 characters), the nft table, and fixed MAC addresses.
 * Fixed MACs matter: random ones left stale ARP entries on the machine that stalled
 * re-created hosts for 20-30 s.
 */
import { createHash } from "node:crypto";
import { OptionsError } from "../errors.js";
import { formatAddress, type Subnet } from "./ipv4.js";

export const DEFAULT_LAB = "default";
const LAB_NAME = /^[a-z][a-z0-9-]{0,31}$/;
const HOST_NAME = /^[A-Za-z0-9]([A-Za-z0-9_.-]{0,62})$/;

export function checkLabName(name: string): void {
  // the second test keeps bridge names apart from veth names (rb-v<hex>, rb-u<hex>)
  if (!LAB_NAME.test(name) || /^[uv][0-9a-f]{8}$/.test(name)) {
    throw new OptionsError(`invalid lab name '${name}'`, {
      hint: "use lowercase letters, digits and '-', starting with a letter, at most 32 characters",
    });
  }
}

export function isValidHostName(name: string): boolean {
  return HOST_NAME.test(name);
}

function digest(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}

/**
 * The lab's default /24: 10.88.0.0/24 for `default`, otherwise one of the /24s in
 * 10.88.0.0-10.127.255.0 picked by a hash of the name (never `default`'s).
 */
export function defaultSubnet(name: string): Subnet {
  if (name === DEFAULT_LAB) return { network: 10 * 2 ** 24 + 88 * 2 ** 16, prefix: 24 };
  const index = 1 + (digest(`subnet:${name}`).readUInt32BE(0) % (40 * 256 - 1));
  return { network: 10 * 2 ** 24 + (88 + Math.floor(index / 256)) * 2 ** 16 + (index % 256) * 256, prefix: 24 };
}

/** The underlay's subnet mirrors the lab's 40 higher in the second octet (10.88.x -> 10.128.x). */
export function underlaySubnet(lab: Subnet): Subnet {
  return { network: (lab.network + 40 * 2 ** 16) % 2 ** 32, prefix: lab.prefix };
}

/** A short, stable token for the lab inside 15-character interface names. */
function shortName(name: string): string {
  if (name.length <= 10) return name;
  return `${name.slice(0, 5)}${digest(`short:${name}`).toString("hex").slice(0, 5)}`;
}

export function bridgeName(lab: string): string {
  return `rb-${shortName(lab)}`;
}

export function underlayBridgeName(lab: string): string {
  return `rb-${shortName(lab)}-u`;
}

function addressHex(address: number): string {
  return address.toString(16).padStart(8, "0");
}

/** The machine's end of a host's veth; named by the host's address, unique across labs. */
export function vethName(address: number): string {
  return `rb-v${addressHex(address)}`;
}

export function underlayVethName(address: number): string {
  return `rb-u${addressHex(address)}`;
}

/** Locally administered unicast MAC (02:...) carrying the address, so a re-created host keeps it. */
export function macFor(address: number, nic: 0 | 1 = 0): string {
  const bytes = [2, nic, ...formatAddress(address).split(".").map(Number)];
  return bytes.map((byte) => byte.toString(16).padStart(2, "0")).join(":");
}

/** The nft table of a lab (nft identifiers: letters, digits, '_'). */
export function nftTableName(lab: string): string {
  return `runbook_lab_${lab.replaceAll("-", "_")}`;
}

/** The cgroup directory name of one lab host, the same in every hierarchy. */
export function cgroupName(lab: string, host: string): string {
  return `runbook-lab.${lab}.${host}`;
}
