/**
 * `--nat`: lab hosts may reach the Debian mirror(s) the machine's apt uses and the machine's
 * resolver, and nothing else. One nft table per lab masquerades the lab subnet and drops any
 * other forwarded lab traffic; ip_forward is turned on only once those rules are in place.
 */
import { lookup } from "node:dns/promises";
import { readFileSync } from "node:fs";
import { machineAptSources, mirrorHosts } from "./apt-sources.js";
import { RunbookError } from "../errors.js";
import { formatSubnet, parseAddress, type Subnet } from "./ipv4.js";
import { mustRun, run } from "./run.js";

/** IPv4 nameservers of resolv.conf text. */
export function resolversFrom(text: string): string[] {
  return text
    .split("\n")
    .map((line) => /^\s*nameserver\s+(\S+)/.exec(line)?.[1])
    .filter((address): address is string => address !== undefined && parseAddress(address) !== undefined);
}

function readIfExists(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

/** Every IPv4 address the hosts may reach: the mirrors' (resolved now) and the resolvers. */
export async function allowedAddresses(): Promise<string[]> {
  const mirrors = mirrorHosts(machineAptSources());
  const resolvers = resolversFrom(readIfExists("/etc/resolv.conf"));
  if (mirrors.length === 0) {
    throw new RunbookError("runtime", "--nat: no Debian mirror found in /etc/apt/sources.list(.d)", {
      hint: "configure apt on the machine first; lab hosts may only reach its mirrors",
    });
  }
  const addresses = new Set(resolvers);
  for (const mirror of mirrors) {
    if (parseAddress(mirror) !== undefined) {
      addresses.add(mirror);
      continue;
    }
    try {
      for (const found of await lookup(mirror, { all: true, family: 4 })) addresses.add(found.address);
    } catch (error) {
      throw new RunbookError("runtime", `--nat: cannot resolve the mirror ${mirror}`, {
        hint: "check the machine's DNS (/etc/resolv.conf)",
        cause: error,
      });
    }
  }
  return [...addresses].sort();
}

/** The lab's nft table. Chain names avoid nft keywords (`fwd` is one). */
export function renderNatRules(table: string, bridge: string, subnet: Subnet, allowed: readonly string[]): string {
  const elements = allowed.length > 0 ? ` elements = { ${allowed.join(", ")} }` : "";
  return [
    `table ip ${table} {`,
    `  set allowed { type ipv4_addr;${elements} }`,
    `  chain lab_forward {`,
    `    type filter hook forward priority filter; policy accept;`,
    `    iifname "${bridge}" oifname != "${bridge}" ip daddr != @allowed counter drop`,
    `    oifname "${bridge}" iifname != "${bridge}" ct state != { established, related } counter drop`,
    `  }`,
    `  chain lab_postrouting {`,
    `    type nat hook postrouting priority srcnat; policy accept;`,
    `    ip saddr ${formatSubnet(subnet)} oifname != "${bridge}" counter masquerade`,
    `  }`,
    `}`,
    "",
  ].join("\n");
}

export async function natTableExists(table: string): Promise<boolean> {
  return (await run(["nft", "list", "table", "ip", table])).rc === 0;
}

/** Replaces the lab's table atomically (one nft transaction: create-if-missing, delete, add). */
export async function applyNat(table: string, rules: string): Promise<void> {
  await mustRun(["nft", "-f", "-"], { stdin: `table ip ${table} {}\ndelete table ip ${table}\n${rules}` });
}

export async function deleteNat(table: string): Promise<void> {
  if (await natTableExists(table)) await mustRun(["nft", "delete", "table", "ip", table]);
}

/** Lab NAT tables still present (any lab), to know whether ip_forward is still needed. */
export async function labNatTables(): Promise<string[]> {
  const listing = await run(["nft", "list", "tables", "ip"]);
  if (listing.rc !== 0) return [];
  return [...listing.stdout.matchAll(/^table ip (runbook_lab_\w+)$/gm)].map((match) => match[1] ?? "");
}

const FORWARD = "/proc/sys/net/ipv4/ip_forward";

export function readForward(): string {
  return readIfExists(FORWARD).trim() || "0";
}

export async function setForward(value: string): Promise<void> {
  await mustRun(["sysctl", "-q", "-w", `net.ipv4.ip_forward=${value}`]);
}
