/**
 * `modprobe br_netfilter` inside a host must succeed as on a server, but this kernel has every
 * module built in and no /lib/modules at all. A small modules.builtin index (made once per
 * kernel with depmod) tells modprobe these modules are built in; hosts get a copy in their
 * private /usr/lib/modules.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { release } from "node:os";
import { join } from "node:path";
import { mustRun } from "./run.js";

/** Modules that role tests load and that this kind of kernel builds in (never IPVS: absent). */
const BUILTIN_MODULES = [
  "net/bridge/bridge", "net/bridge/br_netfilter", "fs/overlayfs/overlay", "drivers/net/vxlan/vxlan",
  "drivers/net/veth", "drivers/net/tun", "drivers/net/macvlan", "drivers/block/loop",
  "net/netfilter/nf_conntrack", "net/netfilter/nf_nat", "net/netfilter/nf_tables", "net/netfilter/nft_compat",
  "net/netfilter/x_tables", "net/netfilter/xt_conntrack", "net/netfilter/xt_MASQUERADE", "net/netfilter/xt_mark",
  "net/netfilter/xt_comment", "net/netfilter/xt_multiport", "net/netfilter/xt_addrtype", "net/netfilter/xt_set",
  "net/netfilter/xt_physdev", "net/netfilter/xt_statistic", "net/netfilter/xt_nat", "net/netfilter/xt_REDIRECT",
  "net/netfilter/xt_recent", "net/netfilter/xt_limit", "net/netfilter/xt_state", "net/netfilter/ipset/ip_set",
  "net/ipv4/netfilter/ip_tables", "net/ipv4/netfilter/iptable_filter", "net/ipv4/netfilter/iptable_nat",
  "net/ipv4/netfilter/iptable_mangle", "net/ipv4/netfilter/iptable_raw", "net/ipv4/netfilter/ipt_REJECT",
  "net/ipv4/netfilter/nf_reject_ipv4", "net/ipv6/netfilter/ip6_tables", "net/ipv6/netfilter/ip6table_filter",
  "net/ipv6/netfilter/ip6table_nat",
];

/** Whether the machine has a real module tree (then hosts see it through their /usr overlay). */
export function machineHasModules(kernel = release()): boolean {
  return existsSync(join("/usr/lib/modules", kernel)) || existsSync(join("/lib/modules", kernel));
}

/**
 * The directory holding the index for this kernel under `<stateRoot>/modules/`, built on first
 * use (into a temporary directory, renamed into place, so concurrent labs never see half of it).
 */
export async function ensureModulesIndex(stateRoot: string, kernel = release()): Promise<string> {
  const target = join(stateRoot, "modules", kernel);
  if (existsSync(join(target, "modules.builtin.bin"))) return target;
  mkdirSync(join(stateRoot, "modules"), { recursive: true });
  const base = mkdtempSync(join(stateRoot, "modules", ".build-"));
  try {
    const tree = join(base, "lib", "modules", kernel);
    mkdirSync(tree, { recursive: true });
    writeFileSync(join(tree, "modules.builtin"), BUILTIN_MODULES.map((path) => `kernel/${path}.ko\n`).join(""));
    await mustRun(["depmod", "-b", base, kernel]);
    rmSync(target, { recursive: true, force: true });
    renameSync(tree, target);
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
  return target;
}

/** Copies the index into a host's /usr overlay (upper layer) before the host starts. */
export function seedModules(index: string, usrUpper: string, kernel = release()): void {
  cpSync(index, join(usrUpper, "lib", "modules", kernel), { recursive: true });
}
