/**
 * The ipaddr family (ansible.utils.ipaddr, ipv4, ipv6, nthhost, network_in_usable...) for IPv4,
 * with netaddr's answers: a value that is not an address is False, queries pick a part of it.
 */
import { ValueProblem } from "../values.js";
import type { Filter } from "./library.js";
import { pyStr } from "./python.js";

interface Net {
  readonly address: number;
  readonly prefix: number;
  readonly hasPrefix: boolean;
}

function parseV4(text: string): Net | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/.exec(text.trim());
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const prefix = match[5] === undefined ? 32 : Number(match[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  return { address: octets.reduce((sum, o) => sum * 256 + o, 0), prefix, hasPrefix: match[5] !== undefined };
}

const isV6 = (text: string): boolean => /^[0-9a-f:]+(?:\/\d{1,3})?$/i.test(text.trim()) && text.includes(":");

const format = (n: number): string => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join(".");
const mask = (prefix: number): number => (prefix === 0 ? 0 : 2 ** 32 - 2 ** (32 - prefix));
const networkOf = (net: Net): number => (net.address & mask(net.prefix)) >>> 0;
const size = (net: Net): number => 2 ** (32 - net.prefix);

const QUERIES: Readonly<Record<string, (net: Net, text: string) => unknown>> = {
  "": (_, text) => text.trim(),
  address: (net) => (net.hasPrefix && net.prefix < 31 && (net.address === networkOf(net) || net.address === networkOf(net) + size(net) - 1) ? false : format(net.address)),
  host: (net) => (net.hasPrefix && net.prefix < 31 && net.address === networkOf(net) ? false : `${format(net.address)}/${net.prefix}`),
  "host/prefix": (net) => (net.hasPrefix && net.address !== networkOf(net) ? `${format(net.address)}/${net.prefix}` : false),
  network: (net) => format(networkOf(net)),
  net: (net) => (net.address === networkOf(net) && net.hasPrefix ? `${format(net.address)}/${net.prefix}` : false),
  subnet: (net) => `${format(networkOf(net))}/${net.prefix}`,
  cidr: (net) => `${format(networkOf(net))}/${net.prefix}`,
  "network/prefix": (net) => `${format(networkOf(net))}/${net.prefix}`,
  netmask: (net) => format(mask(net.prefix)),
  hostmask: (net) => format(2 ** (32 - net.prefix) - 1),
  prefix: (net) => net.prefix,
  broadcast: (net) => (net.prefix >= 31 ? null : format(networkOf(net) + size(net) - 1)),
  size: (net) => size(net),
  first_usable: (net) => format(networkOf(net) + (net.prefix >= 31 ? 0 : 1)),
  last_usable: (net) => format(networkOf(net) + size(net) - (net.prefix >= 31 ? 1 : 2)),
  ipv4: (_, text) => text.trim(),
  version: () => 4,
  private: (net, text) => ([["10.0.0.0", 8], ["172.16.0.0", 12], ["192.168.0.0", 16]] as const).some(([base, p]) => (net.address & mask(p)) >>> 0 === (parseV4(base)?.address ?? -1)) ? text.trim() : false,
  public: (net, text) => (QUERIES["private"]?.(net, text) === false ? text.trim() : false),
};

function query(value: unknown, which: unknown, version: 4 | 6 | undefined): unknown {
  if (Array.isArray(value)) return value.map((item) => query(item, which, version)).filter((item) => item !== false);
  const text = pyStr(value);
  if (isV6(text)) return version === 4 ? false : which === undefined || which === "" || which === "ipv6" ? text.trim() : false;
  const net = parseV4(text);
  if (net === undefined || version === 6) return false;
  if (typeof which === "number" || (typeof which === "string" && /^-?\d+$/.test(which))) {
    const n = Number(which);
    const index = n < 0 ? size(net) + n : n;
    return index >= 0 && index < size(net) ? `${format(networkOf(net) + index)}/${net.prefix}` : false;
  }
  const name = which === undefined || which === null ? "" : pyStr(which);
  const answer = QUERIES[name];
  if (answer === undefined) throw new ValueProblem(`unknown ipaddr query '${name}'`, `one of: ${Object.keys(QUERIES).filter(Boolean).join(", ")}, or a number`);
  return answer(net, text);
}

function nthhost(value: unknown, n: unknown): unknown {
  const net = parseV4(pyStr(value));
  if (net === undefined) return false;
  const index = Number(n) < 0 ? size(net) + Number(n) : Number(n);
  return index >= 0 && index < size(net) ? format(networkOf(net) + index) : false;
}

export const IPADDR_FILTERS: Readonly<Record<string, Filter>> = {
  ipaddr: (value, args) => query(value, args.positional[0], undefined),
  ipv4: (value, args) => query(value, args.positional[0], 4),
  ipv6: (value, args) => query(value, args.positional[0], 6),
  ipwrap: (value) => (isV6(pyStr(value)) ? `[${pyStr(value)}]` : value),
  nthhost: (value, args) => nthhost(value, args.positional[0]),
  next_nth_usable: (value, args) => {
    const net = parseV4(pyStr(value));
    if (net === undefined) return false;
    const next = net.address + Number(args.positional[0]);
    return next < networkOf(net) + size(net) - 1 ? format(next) : false;
  },
  network_in_usable: (value, args) => {
    const net = parseV4(pyStr(value));
    const test = parseV4(pyStr(args.positional[0]));
    if (net === undefined || test === undefined) return false;
    return test.address > networkOf(net) && test.address < networkOf(net) + size(net) - 1;
  },
  network_in_network: (value, args) => {
    const net = parseV4(pyStr(value));
    const test = parseV4(pyStr(args.positional[0]));
    if (net === undefined || test === undefined) return false;
    return networkOf(test) >= networkOf(net) && networkOf(test) + size(test) <= networkOf(net) + size(net);
  },
};
