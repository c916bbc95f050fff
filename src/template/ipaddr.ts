/** IPv4 CIDR arithmetic for the ipaddr helpers (network, prefix, netmask, nth_host, ipaddr_address). */
import { toText, ValueProblem } from "./values.js";

interface Cidr {
  readonly address: number;
  readonly prefix: number;
}

const CIDR_HINT = "expected an IPv4 address with a prefix, like 10.1.2.3/24";

function parseAddress(text: string): number {
  const parts = text.split(".");
  const octets = parts.map((part) => (/^\d{1,3}$/.test(part) ? Number(part) : NaN));
  if (octets.length !== 4 || octets.some((octet) => Number.isNaN(octet) || octet > 255)) {
    throw new ValueProblem(`'${text}' is not an IPv4 address`, CIDR_HINT);
  }
  return octets.reduce((sum, octet) => sum * 256 + octet, 0);
}

function parseCidr(value: unknown): Cidr {
  const text = toText(value).trim();
  const [address = "", prefix, ...rest] = text.split("/");
  const bits = prefix === undefined ? 32 : /^\d{1,2}$/.test(prefix) ? Number(prefix) : NaN;
  if (rest.length > 0 || Number.isNaN(bits) || bits > 32) throw new ValueProblem(`'${text}' is not a CIDR`, CIDR_HINT);
  return { address: parseAddress(address), prefix: bits };
}

function formatAddress(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join(".");
}

function maskOf(prefix: number): number {
  return prefix === 0 ? 0 : 2 ** 32 - 2 ** (32 - prefix);
}

function networkOf(cidr: Cidr): number {
  // Bitwise operators are 32-bit signed in JavaScript; >>> 0 brings the result back to unsigned.
  return (cidr.address & maskOf(cidr.prefix)) >>> 0;
}

/** 10.1.2.3/24 -> 10.1.2.0 */
export function network(value: unknown): string {
  return formatAddress(networkOf(parseCidr(value)));
}

/** 10.1.2.3/24 -> 24 */
export function prefix(value: unknown): number {
  return parseCidr(value).prefix;
}

/** 10.1.2.3/24 -> 255.255.255.0 */
export function netmask(value: unknown): string {
  return formatAddress(maskOf(parseCidr(value).prefix));
}

/** (10.1.2.0/24, 5) -> 10.1.2.5: the n-th address of the network. */
export function nthHost(value: unknown, n: unknown): string {
  const cidr = parseCidr(value);
  const size = 2 ** (32 - cidr.prefix);
  const index = typeof n === "number" ? n : Number(toText(n));
  if (!Number.isInteger(index) || index < 0 || index >= size) {
    throw new ValueProblem(`host ${toText(n)} is outside ${toText(value)} (${size} addresses)`);
  }
  return formatAddress(networkOf(cidr) + index);
}

/** 10.1.2.3/24 -> 10.1.2.3 */
export function ipaddrAddress(value: unknown): string {
  return formatAddress(parseCidr(value).address);
}
