/** Package-manager probes and their pure parsers (apt via dpkg-query, dnf/yum via rpm). */
import type { Probe, ProbeResult } from "../types.js";

export type Manager = "apt" | "dnf" | "yum";

export function installedProbe(manager: Manager, names: readonly string[]): Probe {
  if (manager === "apt") return { argv: ["dpkg-query", "-W", "-f=${Package} ${Status}\\n", "--", ...names] };
  return { argv: ["rpm", "-q", "--qf", "%{NAME}\\n", "--", ...names] };
}

/** The names dpkg-query or rpm reported as installed. */
export function parseInstalled(manager: Manager, result: ProbeResult): Set<string> {
  const installed = new Set<string>();
  for (const line of result.stdout.split("\n")) {
    if (manager === "apt") {
      // "nginx install ok installed"; "rc" (removed, config left) shows "deinstall ok config-files".
      const [name, , , status] = line.trim().split(/\s+/);
      if (name !== undefined && status === "installed") installed.add(name.split(":")[0] ?? name);
    } else if (line.trim() !== "" && !/ is not installed$/.test(line)) {
      installed.add(line.trim());
    }
  }
  return installed;
}

/** What an upgrade would install, without changing anything. */
export function upgradableProbe(manager: Manager, names: readonly string[]): Probe {
  if (manager === "apt") return { argv: ["apt-get", "-s", "-q", "install", "--only-upgrade", "--", ...names] };
  return { argv: [manager, "-q", "check-update", "--", ...names] };
}

/** Names with a newer version available. dnf/yum check-update exits 100 when there are some. */
export function parseUpgradable(manager: Manager, result: ProbeResult, names: readonly string[]): Set<string> {
  const upgradable = new Set<string>();
  for (const line of result.stdout.split("\n")) {
    if (manager === "apt") {
      const match = /^Inst (\S+)/.exec(line);
      if (match?.[1] !== undefined) upgradable.add(match[1].split(":")[0] ?? match[1]);
    } else {
      const name = line.trim().split(/\s+/)[0]?.replace(/\.[^.]+$/, "");
      if (name !== undefined && names.includes(name)) upgradable.add(name);
    }
  }
  return upgradable;
}
