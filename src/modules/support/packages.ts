/**
 * Package-manager facts and their pure parsers (apt via dpkg-query, dnf/yum via rpm). One fact
 * per package name, so that each has its subject (`package:NAME`) for check mode; the facts of
 * one task share one command (one dpkg-query for all names) and its parse (parse-once.ts).
 * Without a known manager (`package:` with gather_facts false) the command finds it on the host
 * first, as Ansible's package module gathers ansible_pkg_mgr itself, and says which it used.
 */
import { shellJoin, shScript } from "../../transport/quote.js";
import type { Fact, Probe, ProbeResult } from "../types.js";
import { resultParsedOnce } from "./parse-once.js";
import { ProbeError } from "./probe-error.js";

export const MANAGERS = ["apt", "dnf", "yum"] as const;
export type Manager = (typeof MANAGERS)[number];

/** What a package change leaves, for check mode: the `after` of a `package:NAME` thing. */
export interface PackageAfter {
  readonly installed: boolean;
  readonly manager?: Manager | undefined;
}

/** A package on the host: installed, only its configuration left (dpkg's "rc"), or absent; and the manager that said so. */
export interface PackageStatus {
  readonly manager: Manager;
  readonly status: "installed" | "config-files" | "absent";
}

/** An upgrade candidate, or why the manager could not say (apt-get -s exits non-zero for an unknown name). */
export type UpgradeAnswer = { readonly upgradable: boolean } | { readonly error: string };

export const packageSubject = (name: string): string => `package:${name}`;

const rpmQuery = (names: readonly string[]): string[] => ["rpm", "-q", "--qf", "%{NAME}\\n", "--", ...names];

export function installedProbe(manager: Manager, names: readonly string[]): Probe {
  if (manager === "apt") return { argv: ["dpkg-query", "-W", "-f=${Package} ${Status}\\n", "--", ...names] };
  return { argv: rpmQuery(names) };
}

/** Each name's status as dpkg-query or rpm reported it. Both exit non-zero when some are not installed: that is an answer. */
export function parseInstalled(manager: Manager, result: ProbeResult): Map<string, PackageStatus["status"]> {
  // 126/127: the tool itself is missing, which is no answer at all
  if (result.rc === 126 || result.rc === 127) throw new ProbeError(`${manager === "apt" ? "dpkg-query" : "rpm"} failed: ${result.stderr.trim() || `exit ${result.rc}`}`);
  const found = new Map<string, PackageStatus["status"]>();
  for (const line of result.stdout.split("\n")) {
    if (manager === "apt") {
      // "nginx install ok installed"; "rc" (removed, config left) shows "deinstall ok config-files".
      const [name, , , status] = line.trim().split(/\s+/);
      const bare = name?.split(":")[0] ?? name;
      if (bare !== undefined && (status === "installed" || status === "config-files")) found.set(bare, status);
    } else if (line.trim() !== "" && !/ is not installed$/.test(line)) {
      found.set(line.trim(), "installed");
    }
  }
  return found;
}

/** What an upgrade would install, without changing anything. */
export function upgradableProbe(manager: Manager, names: readonly string[], repoOptions: readonly string[] = []): Probe {
  if (manager === "apt") return { argv: ["apt-get", "-s", "-q", "install", "--only-upgrade", "--", ...names] };
  return { argv: [manager, "-q", ...repoOptions, "check-update", "--", ...names] };
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

/** The tool each manager is found by, in the order ansible_pkg_mgr prefers them. */
const MANAGER_TOOLS: readonly (readonly [Manager, string])[] = [["apt", "apt-get"], ["dnf", "dnf"], ["yum", "yum"]];

/**
 * One command that finds the host's manager, prints its name, and runs that manager's probe; or
 * the manager's probe itself when it is known.
 */
export function managerProbe(manager: Manager | undefined, probeFor: (manager: Manager) => Probe): Probe {
  if (manager !== undefined) return probeFor(manager);
  const branches = MANAGER_TOOLS.map(([name, tool]) => `if command -v ${tool} >/dev/null 2>&1; then echo ${name}; exec ${shellJoin(probeFor(name).argv)}; fi`);
  return { argv: shScript([...branches, "echo none"].join("\n")) };
}

/** The manager and the probe's own result, from a managerProbe's output. */
export function splitManager(manager: Manager | undefined, result: ProbeResult): { manager: Manager; result: ProbeResult } {
  if (manager !== undefined) return { manager, result };
  const newline = result.stdout.indexOf("\n");
  const first = (newline < 0 ? result.stdout : result.stdout.slice(0, newline)).trim();
  const found = MANAGERS.find((name) => name === first);
  if (found === undefined) throw new ProbeError("no supported package manager on the host (looked for apt-get, dnf, yum)");
  return { manager: found, result: { ...result, stdout: newline < 0 ? "" : result.stdout.slice(newline + 1) } };
}

/** Each name's status: one fact per name over one shared command. */
export function installedFacts(manager: Manager | undefined, names: readonly string[]): Map<string, Fact<PackageStatus>> {
  const probe = managerProbe(manager, (name) => installedProbe(name, names));
  const read = resultParsedOnce((raw) => {
    const { manager: found, result } = splitManager(manager, raw);
    return { manager: found, statuses: parseInstalled(found, result) };
  });
  const predict = (after: unknown): PackageStatus | undefined => {
    const { installed, manager: predicted } = after as PackageAfter;
    const known = manager ?? predicted;
    return known === undefined ? undefined : { manager: known, status: installed ? "installed" : "absent" };
  };
  return new Map(
    names.map((name) => [
      name,
      {
        ...probe,
        subject: packageSubject(name),
        parse: (result): PackageStatus => {
          const { manager: found, statuses } = read(result);
          return { manager: found, status: statuses.get(name) ?? "absent" };
        },
        predict,
      },
    ]),
  );
}

/** Whether each of `names` has an upgrade: one fact per name over one shared simulation. */
export function upgradeFacts(manager: Manager | undefined, names: readonly string[], repoOptions: readonly string[] = []): Map<string, Fact<UpgradeAnswer>> {
  const probe = managerProbe(manager, (name) => upgradableProbe(name, names, repoOptions));
  const read = resultParsedOnce((raw): { error: string } | Set<string> => {
    const { manager: found, result } = splitManager(manager, raw);
    // apt-get -s fails for a name it does not know; dnf/yum check-update exits 100 when it found upgrades
    if (found === "apt" && result.rc !== 0) return { error: `apt-get could not plan the upgrade: ${result.stderr.trim() || `exit ${result.rc}`}` };
    return parseUpgradable(found, result, names);
  });
  return new Map(
    names.map((name) => [
      name,
      {
        ...probe,
        subject: packageSubject(name),
        parse: (result): UpgradeAnswer => {
          const answer = read(result);
          return answer instanceof Set ? { upgradable: answer.has(name) } : answer;
        },
        // just installed (or removed): nothing to upgrade
        predict: (): UpgradeAnswer => ({ upgradable: false }),
      },
    ]),
  );
}
