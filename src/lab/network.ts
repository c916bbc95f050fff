/**
 * The machine's side of the lab network: bridges, veth pairs whose other end lives in a
 * host's network namespace, and the check that a lab subnet does not collide with the
 * machine's own networks.
 */
import { OptionsError } from "../errors.js";
import { formatAddress, formatSubnet, overlaps, parseSubnet, type Subnet } from "./ipv4.js";
import { macFor } from "./naming.js";
import { mustRun, run } from "./run.js";

interface IpLink {
  readonly ifname: string;
  readonly master?: string;
  readonly link_type?: string;
  readonly ifalias?: string;
}

interface IpAddr {
  readonly ifname: string;
  readonly addr_info?: readonly { readonly family: string; readonly local: string; readonly prefixlen: number }[];
}

interface IpRoute {
  readonly dst: string;
  readonly dev?: string;
}

export async function listLinks(): Promise<IpLink[]> {
  return JSON.parse(await mustRun(["ip", "-j", "link", "show"])) as IpLink[];
}

export async function linkExists(name: string): Promise<boolean> {
  return (await run(["ip", "link", "show", "dev", name])).rc === 0;
}

/**
 * Creates the bridge with the machine's address on it (idempotent). Its alias records the
 * owning lab's state directory, so a lab of the same name in another project is recognised.
 */
export async function ensureBridge(name: string, subnet: Subnet, machineAddress: number | undefined, owner: string): Promise<void> {
  if (!(await linkExists(name))) {
    const created = await run(["ip", "link", "add", "name", name, "type", "bridge"]);
    // another `lab up` may have made it a moment ago
    if (created.rc !== 0 && !(await linkExists(name))) {
      throw new Error(`cannot create bridge ${name}: ${created.stderr.trim()}`);
    }
  }
  await mustRun(["ip", "link", "set", "dev", name, "alias", owner]);
  if (machineAddress !== undefined) {
    const cidr = `${formatAddress(machineAddress)}/${subnet.prefix}`;
    await mustRun(["ip", "addr", "replace", cidr, "dev", name]);
  }
  await mustRun(["ip", "link", "set", "dev", name, "up"]);
}

export async function deleteLink(name: string): Promise<void> {
  await run(["ip", "link", "delete", "dev", name]);
}

/** Deletes many links with one `ip -batch` (-force: a link already gone does not stop the rest). */
export async function deleteLinks(names: readonly string[]): Promise<void> {
  if (names.length === 0) return;
  await run(["ip", "-force", "-batch", "-"], { stdin: names.map((name) => `link delete dev ${name}\n`).join("") });
}

/**
 * Makes a veth pair: `machineEnd` on the machine, enslaved to `bridge`, and `hostEnd` (with a
 * MAC fixed by the address) inside the network namespace of `pid` or of a namespace file.
 */
export async function addVeth(options: {
  readonly machineEnd: string;
  readonly hostEnd: string;
  readonly bridge: string;
  readonly address: number;
  readonly nic: 0 | 1;
  readonly netns: number | string;
}): Promise<void> {
  const batch = [
    `link add name ${options.machineEnd} type veth peer name ${options.hostEnd} address ${macFor(options.address, options.nic)} netns ${options.netns}`,
    `link set dev ${options.machineEnd} master ${options.bridge} up`,
  ].join("\n");
  const made = await run(["ip", "-batch", "-"], { stdin: `${batch}\n` });
  if (made.rc === 0) return;
  // the one retry the lab keeps: a veth is named by its address, and a host whose lab state was
  // lost (a killed `lab up`) leaves its veth holding the name. Remove it and try once more.
  await deleteLink(options.machineEnd);
  await mustRun(["ip", "-batch", "-"], { stdin: `${batch}\n` });
}

/** One NIC's configuration inside a host. */
export interface NicConfig {
  readonly device: string;
  readonly address: number;
  readonly prefix: number;
}

/**
 * Configures a host's network from inside its namespace with one `ip -batch` (one process per
 * host instead of one per command): loopback, addresses, and the default route when given.
 */
export async function configureHostNetwork(
  enter: readonly string[],
  nics: readonly NicConfig[],
  gateway: number | undefined,
): Promise<void> {
  const lines = ["link set dev lo up"];
  for (const nic of nics) {
    lines.push(`addr replace ${formatAddress(nic.address)}/${nic.prefix} dev ${nic.device}`);
    lines.push(`link set dev ${nic.device} up`);
  }
  if (gateway !== undefined) lines.push(`route replace default via ${formatAddress(gateway)}`);
  await mustRun([...enter, "ip", "-batch", "-"], { stdin: `${lines.join("\n")}\n` });
}

/**
 * Throws when `subnet` overlaps an address or route of the machine, except those on the
 * lab's own bridges (which exist when the lab is up already).
 */
export async function checkNoCollision(subnet: Subnet, ownDevices: readonly string[], what: string): Promise<void> {
  const addrs = JSON.parse(await mustRun(["ip", "-j", "-4", "addr", "show"])) as IpAddr[];
  const routes = JSON.parse(await mustRun(["ip", "-j", "-4", "route", "show"])) as IpRoute[];
  const taken: { subnet: Subnet; where: string }[] = [];
  for (const link of addrs) {
    if (ownDevices.includes(link.ifname)) continue;
    for (const info of link.addr_info ?? []) {
      if (info.family !== "inet") continue;
      const network = parseSubnet(`${info.local}/32`);
      if (network) taken.push({ subnet: network, where: `address ${info.local}/${info.prefixlen} on ${link.ifname}` });
    }
  }
  for (const route of routes) {
    if (route.dst === "default" || (route.dev !== undefined && ownDevices.includes(route.dev))) continue;
    const dst = parseSubnet(route.dst.includes("/") ? route.dst : `${route.dst}/32`);
    if (dst) taken.push({ subnet: dst, where: `route ${route.dst}${route.dev ? ` via ${route.dev}` : ""}` });
  }
  const clash = taken.find((entry) => overlaps(entry.subnet, subnet));
  if (clash) {
    throw new OptionsError(`${what} ${formatSubnet(subnet)} collides with the machine's ${clash.where}`, {
      hint: "pick another lab subnet with --subnet (or another --name), or change the inventory's ansible_host",
    });
  }
}

/** Sets (gateway given) or removes a host's default route. */
export async function setDefaultRoute(enter: readonly string[], gateway: number | undefined): Promise<void> {
  if (gateway !== undefined) {
    await mustRun([...enter, "ip", "route", "replace", "default", "via", formatAddress(gateway)]);
  } else {
    await run([...enter, "ip", "route", "del", "default"]); // absent already: fine
  }
}
