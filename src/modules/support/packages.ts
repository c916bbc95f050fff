/**
 * Package-manager facts and their pure parsers (apt via dpkg-query, dnf/yum via rpm). One fact
 * per package name, so that each has its subject (`package:NAME`) for check mode; the facts of
 * one task share one command (one dpkg-query for all names) and its parse (parse-once.ts).
 */
import type { Fact, Probe, ProbeResult } from "../types.js";
import { resultParsedOnce } from "./parse-once.js";
import { ProbeError } from "./probe-error.js";

export type Manager = "apt" | "dnf" | "yum";

/** What a package change leaves, for check mode: the `after` of a `package:NAME` thing. */
export interface PackageAfter {
  readonly installed: boolean;
}

/** An upgrade candidate, or why the manager could not say (apt-get -s exits non-zero for an unknown name). */
export type UpgradeAnswer = { readonly upgradable: boolean } | { readonly error: string };

export const packageSubject = (name: string): string => `package:${name}`;

export function installedProbe(manager: Manager, names: readonly string[]): Probe {
  if (manager === "apt") return { argv: ["dpkg-query", "-W", "-f=${Package} ${Status}\\n", "--", ...names] };
  return { argv: ["rpm", "-q", "--qf", "%{NAME}\\n", "--", ...names] };
}

/** The names dpkg-query or rpm reported as installed. Both exit non-zero when some are not: that is an answer. */
export function parseInstalled(manager: Manager, result: ProbeResult): Set<string> {
  // 126/127: the tool itself is missing, which is no answer at all
  if (result.rc === 126 || result.rc === 127) throw new ProbeError(`${manager === "apt" ? "dpkg-query" : "rpm"} failed: ${result.stderr.trim() || `exit ${result.rc}`}`);
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

/** Whether each of `names` is installed: one fact per name over one shared command. */
export function installedFacts(manager: Manager, names: readonly string[]): Map<string, Fact<boolean>> {
  const probe = installedProbe(manager, names);
  const read = resultParsedOnce((result) => parseInstalled(manager, result));
  return new Map(
    names.map((name) => [
      name,
      { ...probe, subject: packageSubject(name), parse: (result) => read(result).has(name), predict: (after) => (after as PackageAfter).installed },
    ]),
  );
}

/** Whether each of `names` has an upgrade: one fact per name over one shared simulation. */
export function upgradeFacts(manager: Manager, names: readonly string[]): Map<string, Fact<UpgradeAnswer>> {
  const probe = upgradableProbe(manager, names);
  const read = resultParsedOnce((result): { error: string } | Set<string> => {
    // apt-get -s fails for a name it does not know; dnf/yum check-update exits 100 when it found upgrades
    if (manager === "apt" && result.rc !== 0) return { error: `apt-get could not plan the upgrade: ${result.stderr.trim() || `exit ${result.rc}`}` };
    return parseUpgradable(manager, result, names);
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
