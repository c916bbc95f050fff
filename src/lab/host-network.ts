/** Wires a started host into the lab: veth(s) on the lab bridge(s), addresses, default route. */
import { configureHostNetwork, addVeth, type NicConfig } from "./network.js";
import { underlayVethName, vethName } from "./naming.js";
import type { Subnet } from "./ipv4.js";
import type { PlannedHost } from "./plan.js";

export interface LabNetwork {
  readonly subnet: Subnet;
  readonly bridge: string;
  readonly underlay?: { readonly subnet: Subnet; readonly bridge: string } | undefined;
  /** The default route's gateway in hosts (the machine's address) with --nat, else undefined. */
  readonly gateway: number | undefined;
}

/** The network namespace of a host: a pid inside it, or a bind-mounted namespace file. */
export type NetnsRef = { readonly pid: number } | { readonly file: string };

export function nsenterNet(netns: NetnsRef): string[] {
  return "pid" in netns ? ["nsenter", "-t", String(netns.pid), "-n"] : ["nsenter", `--net=${netns.file}`];
}

export interface HostLinks {
  readonly veth: string;
  readonly underlayVeth?: string | undefined;
}

export async function wireHost(network: LabNetwork, host: PlannedHost, netns: NetnsRef, device = "eth0"): Promise<HostLinks> {
  const target = "pid" in netns ? netns.pid : netns.file;
  const veth = vethName(host.address);
  await addVeth({ machineEnd: veth, hostEnd: device, bridge: network.bridge, address: host.address, nic: 0, netns: target });
  const nics: NicConfig[] = [{ device, address: host.address, prefix: network.subnet.prefix }];
  let underlayVeth: string | undefined;
  if (network.underlay && host.underlayAddress !== undefined) {
    underlayVeth = underlayVethName(host.underlayAddress);
    await addVeth({
      machineEnd: underlayVeth,
      hostEnd: "eth1",
      bridge: network.underlay.bridge,
      address: host.underlayAddress,
      nic: 1,
      netns: target,
    });
    nics.push({ device: "eth1", address: host.underlayAddress, prefix: network.underlay.subnet.prefix });
  }
  await configureHostNetwork(nsenterNet(netns), nics, network.gateway);
  return { veth, underlayVeth };
}
