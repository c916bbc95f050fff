/** Network facts from `ip -o addr`, `ip -o link`, `ip -4 route show default`, or /sys + /proc when `ip` is missing. */
import type { AddressFacts, InterfaceFacts } from "./types.js";

interface MutableInterface {
  name: string;
  mac?: string | undefined;
  mtu?: number | undefined;
  up: boolean;
  ipv4: AddressFacts[];
  ipv6: AddressFacts[];
}

export type InterfaceTable = Map<string, MutableInterface>;

function entry(table: InterfaceTable, name: string): MutableInterface {
  let found = table.get(name);
  if (!found) {
    found = { name, up: false, ipv4: [], ipv6: [] };
    table.set(name, found);
  }
  return found;
}

/** "eth0@if12:" -> "eth0" (veth peers and VLANs carry the parent after '@'). */
function interfaceName(field: string): string {
  return field.replace(/:$/, "").replace(/@.*$/, "");
}

/** `4: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1400 ... \    link/ether 02:fc:00:00:00:01 brd ...` */
export function parseIpLink(text: string, table: InterfaceTable): void {
  for (const line of text.split("\n")) {
    const fields = line.replace(/\\/g, " ").trim().split(/\s+/);
    if (fields.length < 3 || !/^\d+:$/.test(fields[0] ?? "")) continue;
    const iface = entry(table, interfaceName(fields[1] ?? ""));
    const flags = (fields[2] ?? "").replace(/[<>]/g, "").split(",");
    iface.up = flags.includes("UP");
    const mtu = Number(fields[fields.indexOf("mtu") + 1]);
    if (fields.includes("mtu") && Number.isFinite(mtu)) iface.mtu = mtu;
    const linkIndex = fields.findIndex((f) => f.startsWith("link/"));
    const mac = linkIndex >= 0 ? fields[linkIndex + 1] : undefined;
    if (mac !== undefined && /^[0-9a-f]{2}(:[0-9a-f]{2})+$/i.test(mac)) iface.mac = mac.toLowerCase();
  }
}

/** `4: eth0    inet 192.0.2.2/24 brd 192.0.2.255 scope global eth0\       valid_lft ...` */
export function parseIpAddr(text: string, table: InterfaceTable): void {
  for (const line of text.split("\n")) {
    const fields = line.replace(/\\/g, " ").trim().split(/\s+/);
    const [index, name, family, cidr] = fields;
    if (!index || !/^\d+:$/.test(index) || !name || !cidr) continue;
    const address = parseCidr(cidr);
    if (!address) continue;
    const iface = entry(table, interfaceName(name));
    if (family === "inet") iface.ipv4.push(address);
    else if (family === "inet6") iface.ipv6.push(address);
  }
}

function parseCidr(cidr: string): AddressFacts | undefined {
  const [address, prefix] = cidr.split("/");
  if (!address) return undefined;
  const bits = prefix === undefined ? (address.includes(":") ? 128 : 32) : Number(prefix);
  return Number.isInteger(bits) ? { address, prefix: bits } : undefined;
}

/** Lines written by the facts script from /sys/class/net: `name mac mtu operstate`. */
export function parseSysNet(text: string, table: InterfaceTable): void {
  for (const line of text.split("\n")) {
    const [name, mac, mtu, state] = line.trim().split(/\s+/);
    if (!name) continue;
    const iface = entry(table, name);
    if (mac && /^[0-9a-f]{2}(:[0-9a-f]{2})+$/i.test(mac)) iface.mac = mac.toLowerCase();
    if (mtu && Number.isFinite(Number(mtu))) iface.mtu = Number(mtu);
    iface.up = state === "up" || state === "unknown";
  }
}

export interface DefaultRoute {
  readonly interface: string;
  readonly gateway?: string | undefined;
}

/** `default via 192.0.2.1 dev eth0 proto dhcp metric 100` (the first one), or `default dev wg0 scope link`. */
export function parseIpRoute(text: string): DefaultRoute | undefined {
  for (const line of text.split("\n")) {
    const fields = line.trim().split(/\s+/);
    if (fields[0] !== "default") continue;
    const dev = fields.indexOf("dev");
    const via = fields.indexOf("via");
    const iface = dev >= 0 ? fields[dev + 1] : undefined;
    if (iface === undefined) continue;
    return { interface: iface, gateway: via >= 0 ? fields[via + 1] : undefined };
  }
  return undefined;
}

/** /proc/net/route: the row whose Destination and Mask are 00000000; addresses are little-endian hex. */
export function parseProcRoute(text: string): DefaultRoute | undefined {
  for (const line of text.split("\n").slice(1)) {
    const [iface, destination, gateway, , , , , mask] = line.trim().split(/\s+/);
    if (!iface || destination !== "00000000" || (mask !== undefined && mask !== "00000000")) continue;
    return { interface: iface, gateway: gateway && gateway !== "00000000" ? hexToIpv4(gateway) : undefined };
  }
  return undefined;
}

function hexToIpv4(hex: string): string {
  const octets = [6, 4, 2, 0].map((offset) => parseInt(hex.slice(offset, offset + 2), 16));
  return octets.join(".");
}

export function freezeInterfaces(table: InterfaceTable): Record<string, InterfaceFacts> {
  return Object.fromEntries([...table].map(([name, iface]) => [name, { ...iface }]));
}
