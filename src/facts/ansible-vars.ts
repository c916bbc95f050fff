/** Facts under Ansible's variable names, so playbooks written for Ansible find what they expect. */
import type { Facts, InterfaceFacts } from "./types.js";
import { netmask, network } from "../template/ipaddr.js";

/** Ansible's ansible_<iface> key: '-' and ':' become '_' ("br-lan" -> ansible_br_lan). */
export function interfaceVarName(name: string): string {
  return `ansible_${name.replace(/[-:.]/g, "_")}`;
}

/** An IPv4 address as Ansible's interface facts give it: prefix as a string, netmask, network. */
function ipv4Vars(a: { address: string; prefix: number }): Record<string, string> {
  return {
    address: a.address,
    prefix: String(a.prefix), // Ansible gives the prefix as a string
    netmask: netmask(`${a.address}/${a.prefix}`),
    network: network(`${a.address}/${a.prefix}`),
  };
}

/**
 * ansible_default_ipv4: the default route's interface and gateway, with the route's address and
 * its mask and network, the interface's MAC and MTU (Ansible's keys; alias is the interface's name).
 */
function defaultIpv4Vars(facts: Facts): Record<string, unknown> {
  const route = facts.defaultIpv4;
  if (route === undefined) return {};
  const iface = facts.interfaces[route.interface];
  const address = iface?.ipv4.find((a) => a.address === route.address);
  return {
    ...route,
    alias: route.interface,
    ...(address === undefined ? {} : ipv4Vars(address)),
    ...(iface?.mac === undefined ? {} : { macaddress: iface.mac }),
    ...(iface?.mtu === undefined ? {} : { mtu: iface.mtu }),
  };
}

function interfaceVars(iface: InterfaceFacts): Record<string, unknown> {
  const [first, ...secondaries] = iface.ipv4;
  const ipv4 = ipv4Vars;
  return {
    device: iface.name,
    active: iface.up,
    ...(iface.mac === undefined ? {} : { macaddress: iface.mac }),
    ...(iface.mtu === undefined ? {} : { mtu: iface.mtu }),
    ...(first === undefined ? {} : { ipv4: ipv4(first) }),
    ...(secondaries.length === 0 ? {} : { ipv4_secondaries: secondaries.map(ipv4) }),
    ipv6: iface.ipv6.map((a) => ({ address: a.address, prefix: String(a.prefix) })),
  };
}

/** Ansible names an init it does not know by PID 1's name, except plain shells and "init". */
function serviceManagerName(facts: Facts): string {
  const init = facts.initName;
  if (facts.serviceManager !== "unknown" || init === undefined || init === "init" || init.endsWith("sh")) return facts.serviceManager;
  return init;
}

export function ansibleFactVars(facts: Facts): Record<string, unknown> {
  const interfaces = Object.values(facts.interfaces);
  const vars: Record<string, unknown> = {
    ansible_hostname: facts.hostname,
    ansible_fqdn: facts.fqdn,
    ansible_os_family: facts.os.family,
    ansible_distribution: facts.os.distribution,
    ansible_distribution_version: facts.os.version,
    ansible_distribution_major_version: facts.os.majorVersion,
    ansible_distribution_release: facts.os.codename ?? "",
    ansible_kernel: facts.kernel,
    ansible_architecture: facts.arch,
    ansible_nodename: facts.nodename ?? facts.hostname,
    ansible_processor_vcpus: facts.processors?.vcpus ?? facts.cpus,
    ansible_processor_count: facts.processors?.count ?? facts.cpus,
    ansible_processor_cores: facts.processors?.cores ?? 1,
    ansible_processor_threads_per_core: facts.processors?.threadsPerCore ?? 1,
    ansible_processor_nproc: facts.cpus,
    ansible_env: { ...(facts.env ?? {}) },
    ansible_memtotal_mb: facts.memoryMb,
    ansible_pkg_mgr: facts.packageManager,
    ansible_service_mgr: serviceManagerName(facts),
    ansible_user_id: facts.user,
    ansible_interfaces: interfaces.map((i) => i.name),
    // like Ansible, loopback addresses are left out
    ansible_all_ipv4_addresses: interfaces.flatMap((i) => i.ipv4.map((a) => a.address)).filter((a) => !a.startsWith("127.")),
    ansible_default_ipv4: defaultIpv4Vars(facts),
  };
  for (const iface of interfaces) vars[interfaceVarName(iface.name)] = interfaceVars(iface);
  return { ...vars, ansible_facts: factsNamespace(vars) };
}

/**
 * Ansible's `ansible_facts`: the same facts without their prefix (`ansible_facts.os_family`,
 * `ansible_facts['br_lan']`). Facts modules return (service_facts' `services`) join it later.
 */
function factsNamespace(vars: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(vars).map(([name, value]) => [name.replace(/^ansible_/, ""), value]));
}
