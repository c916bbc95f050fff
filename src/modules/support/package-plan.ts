/**
 * What package, apt, dnf and yum share: one request (Ansible's arguments, normalised), the facts
 * it needs, and the plan (install what is missing or upgradable, remove what is there, update
 * the cache first). Each module only maps its arguments onto a PackageRequest.
 */
import type { Effect, Fact, Plan, PlanContext, Step } from "../types.js";
import { autoremovableFact, cacheAgeFact, debFileFact, simulationFact, type DebFile, type Simulation } from "./apt-facts.js";
import { installedFacts, packageSubject, upgradeFacts, type Manager, type PackageAfter, type PackageStatus, type UpgradeAnswer } from "./packages.js";
import { change, fail, ok } from "./plan.js";

export interface PackageRequest {
  /** undefined: found on the host (package without facts). */
  readonly manager: Manager | undefined;
  readonly names: readonly string[];
  readonly state: "present" | "absent" | "latest";
  readonly updateCache: boolean;
  /** apt: update only when the lists are older than this many seconds. */
  readonly cacheValidTime?: number | undefined;
  /** apt: undefined leaves apt's own setting. */
  readonly installRecommends?: boolean | undefined;
  readonly purge: boolean;
  readonly autoremove: boolean;
  /** apt: a .deb file on the host to install. */
  readonly deb?: string | undefined;
  /** dnf/yum: repositories to enable and disable for this task. */
  readonly enableRepos: readonly string[];
  readonly disableRepos: readonly string[];
}

type PackageFact = Fact<PackageStatus> | Fact<UpgradeAnswer> | Fact<number> | Fact<DebFile> | Fact<string[]> | Fact<Simulation>;
export type PackageFacts = Readonly<Record<string, PackageFact | undefined>>;

/** disablerepo before enablerepo, as Ansible passes them, so `disablerepo: "*"` with one enabled works. */
export const repoOptions = (request: PackageRequest): string[] => [
  ...request.disableRepos.map((repo) => `--disablerepo=${repo}`),
  ...request.enableRepos.map((repo) => `--enablerepo=${repo}`),
];

export function packageFacts(request: PackageRequest, ctx: Pick<PlanContext, "check">): PackageFacts {
  const facts: Record<string, PackageFact | undefined> = {};
  for (const [name, fact] of installedFacts(request.manager, request.names)) facts[`installed:${name}`] = fact;
  if (request.state === "latest") for (const [name, fact] of upgradeFacts(request.manager, request.names, repoOptions(request))) facts[`upgrade:${name}`] = fact;
  if (request.cacheValidTime !== undefined && request.cacheValidTime > 0) facts.cacheAge = cacheAgeFact();
  if (request.deb !== undefined) facts.deb = debFileFact(request.deb);
  // as Ansible's apt, whose check mode simulates: an unknown name, an essential package fail also in --check.
  // Only there: a run's apt-get gives the same refusal, and a simulation on every run costs seconds.
  if (ctx.check && request.manager !== "dnf" && request.manager !== "yum" && request.names.length > 0 && request.state !== "latest") {
    facts.simulation = request.state === "absent" ? simulationFact(request.manager, "remove", removeOptions(request), request.names) : simulationFact(request.manager, "install", [], request.names);
  }
  if (request.autoremove && request.names.length === 0 && request.manager === "apt") facts.autoremovable = autoremovableFact(request.purge);
  return facts;
}

const APT = ["env", "DEBIAN_FRONTEND=noninteractive", "apt-get"];

function installStep(manager: Manager, request: PackageRequest, names: readonly string[]): Step {
  if (manager !== "apt") return { kind: "run", argv: [manager, "install", "-y", "-q", ...repoOptions(request), "--", ...names] };
  const recommends = request.installRecommends === undefined ? [] : ["-o", `APT::Install-Recommends=${request.installRecommends ? "yes" : "no"}`];
  return { kind: "run", argv: [...APT, "install", "-y", "-q", ...recommends, ...(request.autoremove ? ["--auto-remove"] : []), "--", ...names] };
}

function removeStep(manager: Manager, request: PackageRequest, names: readonly string[]): Step {
  if (manager !== "apt") {
    const clean = request.autoremove ? ["--setopt=clean_requirements_on_remove=1"] : [];
    return { kind: "run", argv: [manager, "remove", "-y", "-q", ...repoOptions(request), ...clean, "--", ...names] };
  }
  return { kind: "run", argv: [...APT, "remove", "-y", "-q", ...removeOptions(request), "--", ...names] };
}

const removeOptions = (request: PackageRequest): string[] => [...(request.purge ? ["--purge"] : []), ...(request.autoremove ? ["--auto-remove"] : [])];

/** The simulation's refusal, for a plan that would change something. */
const refusal = (facts: Readonly<Record<string, unknown>>): string | undefined => {
  const simulation = facts.simulation as Simulation | undefined;
  return simulation !== undefined && "error" in simulation ? simulation.error : undefined;
};

/** The cache update the request asks for now (none when cache_valid_time says the lists are fresh). */
function cacheSteps(manager: Manager, request: PackageRequest, facts: Readonly<Record<string, unknown>>): Step[] {
  if (!request.updateCache) return [];
  const age = facts.cacheAge as number | undefined;
  if (age !== undefined && request.cacheValidTime !== undefined && age <= request.cacheValidTime) return [];
  if (manager === "apt") return [{ kind: "run", argv: [...APT, "update", "-q"] }];
  return [{ kind: "run", argv: [manager, "makecache", "-q", ...repoOptions(request)] }];
}

/** What the change leaves: each package in its new state, and what it installs or takes away, which check mode cannot foresee. */
function packageEffects(manager: Manager, names: readonly string[], installed: boolean): Effect[] {
  const things: Effect[] = names.map((name) => ({ kind: "thing", subject: packageSubject(name), after: { installed, manager } satisfies PackageAfter }));
  const what = installed ? `what ${names.join(", ")} install (files, units, users)` : `what removing ${names.join(", ")} takes away`;
  return [...things, { kind: "unknown", what }];
}

/** The manager the facts found (or the request named). */
function managerOf(request: PackageRequest, facts: Readonly<Record<string, unknown>>): Manager | undefined {
  if (request.manager !== undefined) return request.manager;
  const first = request.names[0];
  return first === undefined ? undefined : (facts[`installed:${first}`] as PackageStatus | undefined)?.manager;
}

export function planPackages(request: PackageRequest, facts: Readonly<Record<string, unknown>>): Plan {
  const manager = managerOf(request, facts);
  if (manager === undefined) return fail("no supported package manager (apt, dnf, yum)", "set use: apt|dnf|yum, or gather facts");
  const status = (name: string): PackageStatus["status"] => (facts[`installed:${name}`] as PackageStatus | undefined)?.status ?? "absent";
  const cache = cacheSteps(manager, request, facts);
  if (request.state === "absent") {
    // with purge, a package whose configuration is left is still there to remove
    const present = request.names.filter((name) => status(name) === "installed" || (request.purge && status(name) === "config-files"));
    const refused = refusal(facts);
    if (present.length > 0 && refused !== undefined) return fail(refused);
    if (present.length > 0) return change([...cache, removeStep(manager, request, present)], `remove ${present.join(", ")}`, packageEffects(manager, present, false));
    return nothingElse(request, cache, "not installed", (facts.autoremovable as string[] | undefined) ?? []);
  }
  const wanted = [...missingOrOld(request, status, facts), ...debWanted(request, facts)];
  if (typeof wanted[0] === "object") return fail(wanted[0].error);
  const names = wanted as string[];
  const refused = refusal(facts);
  if (names.length > 0 && refused !== undefined) return fail(refused);
  if (names.length > 0) return change([...cache, installStep(manager, request, names)], `install ${names.join(", ")}`, packageEffects(manager, names, true));
  return nothingElse(request, cache, request.state === "latest" ? "installed and up to date" : "installed", (facts.autoremovable as string[] | undefined) ?? []);
}

/** Nothing to install or remove: a cache update alone is a change when it is all the task asks for, as Ansible's apt says. */
function nothingElse(request: PackageRequest, cache: readonly Step[], why: string, autoremovable: readonly string[] = []): Plan {
  if (autoremovable.length > 0) {
    const step: Step = { kind: "run", argv: [...APT, "autoremove", "-y", "-q", ...(request.purge ? ["--purge"] : [])] };
    return change([...cache, step], `autoremove ${autoremovable.join(", ")}`, packageEffects("apt", autoremovable, false));
  }
  if (cache.length === 0) return ok(request.names.length === 0 && request.updateCache ? "the package lists are fresh" : why);
  if (request.names.length === 0 && request.deb === undefined) return change(cache, "update the package lists", [{ kind: "unknown", what: "the package lists" }]);
  return { kind: "ok", msg: why, steps: cache };
}

/** The names to install: missing ones, and with latest the upgradable; or the manager's refusal when nothing is missing. */
function missingOrOld(request: PackageRequest, status: (name: string) => PackageStatus["status"], facts: Readonly<Record<string, unknown>>): (string | { error: string })[] {
  const missing = request.names.filter((name) => status(name) !== "installed");
  if (request.state !== "latest") return missing;
  const answers = request.names.filter((name) => status(name) === "installed").map((name) => [name, facts[`upgrade:${name}`] as UpgradeAnswer | undefined] as const);
  const refused = answers.map(([, answer]) => (answer !== undefined && "error" in answer ? answer.error : undefined)).find((error) => error !== undefined);
  // an unknown name makes apt-get refuse the whole simulation: that only matters when nothing is to be installed anyway
  if (refused !== undefined && missing.length === 0) return [{ error: refused }];
  return [...missing, ...answers.filter(([, answer]) => answer !== undefined && "upgradable" in answer && answer.upgradable).map(([name]) => name)];
}

/** A .deb file to install unless its very version is installed. */
function debWanted(request: PackageRequest, facts: Readonly<Record<string, unknown>>): string[] {
  const deb = facts.deb as DebFile | undefined;
  if (request.deb === undefined || deb === undefined || deb.installedVersion === deb.version) return [];
  return [request.deb];
}
