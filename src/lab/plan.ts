/**
 * Which hosts a lab has: N generated ones (h1..hN at .11, .12, ...) or every inventory host
 * whose ansible_host lies in the lab subnet. Pure, so every rule is unit-tested.
 */
import { OptionsError, ParseError } from "../errors.js";
import { blockSize, contains, formatAddress, formatSubnet, isUsableHost, parseAddress, type Subnet } from "./ipv4.js";
import type { InventoryHostEntry } from "./inventory-reader.js";
import { isValidHostName } from "./naming.js";

export interface PlannedHost {
  readonly name: string;
  readonly address: number;
  readonly underlayAddress?: number | undefined;
  readonly groups: readonly string[];
}

export const FIRST_GENERATED = 11;
/**
 * Every host's veth is a port of the lab's one bridge, and a Linux bridge holds at most 1023
 * ports (BR_MAX_PORTS is 1024, port 0 reserved). Within that, a lab takes what its subnet
 * holds: a /24 gives 244 generated hosts, a /22 1012.
 */
export const MAX_HOSTS = 1023;

/** The machine's own address on the lab bridge: the subnet's first address. */
export function machineAddress(subnet: Subnet): number {
  return subnet.network + 1;
}

function withUnderlay(address: number, subnet: Subnet, underlay: Subnet | undefined): number | undefined {
  return underlay === undefined ? undefined : underlay.network + (address - subnet.network);
}

export function generatedHosts(count: number, subnet: Subnet, underlay?: Subnet): PlannedHost[] {
  const room = Math.min(MAX_HOSTS, generatedRoom(subnet));
  if (!Number.isInteger(count) || count < 1) {
    throw new OptionsError(`--hosts must be a whole number from 1 to ${room}, got ${count}`);
  }
  if (count > room) {
    const why = room === MAX_HOSTS ? `a lab bridge holds at most ${MAX_HOSTS} hosts` : `${formatSubnet(subnet)} holds ${room} hosts from ${formatAddress(subnet.network + FIRST_GENERATED)}`;
    throw new OptionsError(`${count} hosts do not fit: ${why}`, {
      hint: room === MAX_HOSTS ? "use fewer hosts, or several labs" : "use fewer hosts or a larger --subnet, e.g. --subnet 10.64.0.0/22 for 1,000",
    });
  }
  return Array.from({ length: count }, (_, i) => {
    const address = subnet.network + FIRST_GENERATED + i;
    return { name: `h${i + 1}`, address, underlayAddress: withUnderlay(address, subnet, underlay), groups: ["lab"] };
  });
}

/** How many generated hosts fit from .11 up to the last address before the broadcast address. */
export function generatedRoom(subnet: Subnet): number {
  return Math.max(0, blockSize(subnet.prefix) - 1 - FIRST_GENERATED);
}

/** Inventory hosts inside the subnet; rejects addresses the lab cannot give a host. */
export function inventoryHosts(entries: readonly InventoryHostEntry[], subnet: Subnet, underlay?: Subnet): PlannedHost[] {
  const planned: PlannedHost[] = [];
  const byAddress = new Map<number, string>();
  for (const entry of entries) {
    const address = entry.address === undefined ? undefined : parseAddress(entry.address);
    if (address === undefined || !contains(subnet, address)) continue;
    const where = { location: entry.where };
    if (!isValidHostName(entry.name)) {
      throw new ParseError(`lab host name '${entry.name}' cannot be a hostname`, {
        ...where,
        hint: "use letters, digits, '-', '_' and '.'",
      });
    }
    if (address === machineAddress(subnet)) {
      throw new ParseError(`${entry.name}: ${entry.address} is the machine's own address on the lab bridge`, {
        ...where,
        hint: `lab hosts start at ${formatAddress(subnet.network + 2)}; the first address is the machine's`,
      });
    }
    if (!isUsableHost(subnet, address)) {
      throw new ParseError(`${entry.name}: ${entry.address} is the network or broadcast address of ${formatSubnet(subnet)}`, where);
    }
    const clash = byAddress.get(address);
    if (clash !== undefined) {
      throw new ParseError(`${entry.name} and ${clash} share the address ${entry.address}`, {
        ...where,
        hint: "give every lab host its own ansible_host",
      });
    }
    byAddress.set(address, entry.name);
    planned.push({ name: entry.name, address, underlayAddress: withUnderlay(address, subnet, underlay), groups: entry.groups });
  }
  if (planned.length > MAX_HOSTS) throw new OptionsError(`at most ${MAX_HOSTS} lab hosts, the inventory has ${planned.length}`);
  return planned;
}

export function describeNoHosts(subnet: Subnet, entries: readonly InventoryHostEntry[]): OptionsError {
  return new OptionsError(`no inventory host has an ansible_host in the lab subnet ${formatSubnet(subnet)}`, {
    hint:
      entries.length === 0
        ? "the inventories list no hosts"
        : `give hosts addresses between ${formatAddress(subnet.network + 2)} and ${formatAddress(subnet.network + blockSize(subnet.prefix) - 2)}, or pass --subnet`,
  });
}
