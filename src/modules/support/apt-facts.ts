/** apt's own facts: how old the package lists are (cache_valid_time) and what a .deb file holds (deb). */
import { shScript } from "../../transport/quote.js";
import type { Fact } from "../types.js";
import { managerProbe, splitManager, type Manager } from "./packages.js";
import { ProbeError } from "./probe-error.js";

/** Seconds since the lists were last updated: the stamp apt's periodic job and update leave, else the lists directory. */
export function cacheAgeFact(): Fact<number> {
  const script = [
    "now=$(date +%s)",
    "for f in /var/lib/apt/periodic/update-success-stamp /var/lib/apt/lists; do",
    '  if [ -e "$f" ]; then echo "$now $(stat -c %Y "$f")"; exit 0; fi',
    "done",
    'echo "$now 0"',
  ].join("\n");
  return {
    argv: shScript(script),
    parse: (result) => {
      const [now, updated] = result.stdout.trim().split(/\s+/).map(Number);
      if (result.rc !== 0 || now === undefined || updated === undefined || Number.isNaN(now) || Number.isNaN(updated)) {
        throw new ProbeError(`could not read the age of apt's package lists: ${result.stderr.trim() || `exit ${result.rc}`}`);
      }
      return now - updated;
    },
  };
}

/** A .deb file's package and version, and the version of that package installed (undefined: not installed). */
export interface DebFile {
  readonly name: string;
  readonly version: string;
  readonly installedVersion: string | undefined;
}

export function debFileFact(path: string): Fact<DebFile> {
  const script = [
    'fields=$(dpkg-deb -f "$1" Package Version) || exit 3',
    'echo "$fields"',
    'name=$(printf "%s\\n" "$fields" | sed -n "s/^Package: //p")',
    'dpkg-query -W -f=\'installed ${Version} ${Status}\\n\' -- "$name" 2>/dev/null || true',
  ].join("\n");
  return {
    argv: shScript(script, path),
    parse: (result) => {
      if (result.rc !== 0) throw new ProbeError(`cannot read the package file ${path}: ${result.stderr.trim() || `exit ${result.rc}`}`);
      const field = (key: string): string | undefined => new RegExp(`^${key}: (.*)$`, "m").exec(result.stdout)?.[1]?.trim();
      const name = field("Package");
      const version = field("Version");
      if (name === undefined || version === undefined) throw new ProbeError(`${path} is not a Debian package (no Package/Version fields)`);
      const installed = /^installed (\S+) .* installed$/m.exec(result.stdout);
      return { name, version, installedVersion: installed?.[1] };
    },
  };
}

/** The packages `apt-get autoremove` would remove now (a simulation). */
export function autoremovableFact(purge: boolean): Fact<string[]> {
  return {
    argv: ["apt-get", "-s", "-q", ...(purge ? ["--purge"] : []), "autoremove"],
    parse: (result) => {
      if (result.rc !== 0) throw new ProbeError(`apt-get could not plan the autoremove: ${result.stderr.trim() || `exit ${result.rc}`}`);
      return [...result.stdout.matchAll(/^(?:Remv|Purg) (\S+)/gm)].map((match) => match[1] ?? "");
    },
  };
}

/** What apt-get says of the install or removal in a simulation: nothing against it, or its error (an unknown name, an essential package). */
export type Simulation = { readonly ok: true } | { readonly error: string };

/** apt-get's simulation of the install or removal; with the manager unknown, found on the host first (dnf and yum say nothing). */
export function simulationFact(manager: Manager | undefined, action: "install" | "remove", options: readonly string[], names: readonly string[]): Fact<Simulation> {
  // -y as the real run has it: with -y apt refuses to remove an essential package
  const probe = managerProbe(manager, (found) => ({ argv: found === "apt" ? ["apt-get", "-s", "-y", "-q", action, ...options, "--", ...names] : ["true"] }));
  return {
    ...probe,
    parse: (raw) => {
      const { manager: found, result } = splitManager(manager, raw);
      if (found !== "apt" || result.rc === 0) return { ok: true };
      const errors = result.stderr.split("\n").filter((line) => line.startsWith("E: "));
      // removing a name apt does not know is removing nothing: only the other errors count
      const counted = action === "remove" ? errors.filter((line) => !line.startsWith("E: Unable to locate package")) : errors;
      if (action === "remove" && errors.length > 0 && counted.length === 0) return { ok: true };
      return { error: `apt-get ${action} would fail: ${(counted.length > 0 ? counted : [result.stderr.trim() || `exit ${result.rc}`]).join(" ")}` };
    },
  };
}
