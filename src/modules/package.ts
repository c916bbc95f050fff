/** package: installs, upgrades or removes OS packages with apt, dnf or yum. */
import { z } from "zod";
import { defineModule, type Effect, type Fact, type Plan, type PlanContext, type Step } from "./types.js";
import { installedFacts, packageSubject, upgradeFacts, type Manager, type PackageAfter, type UpgradeAnswer } from "./support/packages.js";
import { change, fail, ok } from "./support/plan.js";
import { boolish, stringList } from "./support/schema.js";

const MANAGERS = ["apt", "dnf", "yum"] as const;

const schema = z.strictObject({
  name: stringList("Package name or list of names (e.g. [nginx, curl]).").refine((names) => names.length > 0, "expected at least one package name"),
  state: z
    .enum(["present", "absent", "latest", "installed", "removed"])
    .default("present")
    .transform((state) => (state === "installed" ? "present" : state === "removed" ? "absent" : state))
    .describe("present: installed; latest: installed and upgraded; absent: removed. installed/removed are aliases."),
  update_cache: boolish("apt: run apt-get update before installing (only when something is installed).").default(false),
  use: z.enum(MANAGERS).optional().describe("Package manager to use; default: the one in the host's facts."),
});

type PackageArgs = z.output<typeof schema>;

function managerOf(args: PackageArgs, ctx: PlanContext): Manager | undefined {
  const manager = args.use ?? ctx.facts?.packageManager;
  return (MANAGERS as readonly string[]).includes(manager ?? "") ? (manager as Manager) : undefined;
}

function installSteps(manager: Manager, names: readonly string[], updateCache: boolean): Step[] {
  if (manager === "apt") {
    const aptEnv = ["env", "DEBIAN_FRONTEND=noninteractive"];
    const update: Step[] = updateCache ? [{ kind: "run", argv: [...aptEnv, "apt-get", "update", "-q"] }] : [];
    return [...update, { kind: "run", argv: [...aptEnv, "apt-get", "install", "-y", "-q", "--no-install-recommends", "--", ...names] }];
  }
  return [{ kind: "run", argv: [manager, "install", "-y", "-q", "--", ...names] }];
}

function removeStep(manager: Manager, names: readonly string[]): Step {
  if (manager === "apt") return { kind: "run", argv: ["env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "remove", "-y", "-q", "--", ...names] };
  return { kind: "run", argv: [manager, "remove", "-y", "-q", "--", ...names] };
}

/** What the change leaves: each package in its new state, and what it installs or takes away, which check mode cannot foresee. */
function packageEffects(names: readonly string[], installed: boolean): Effect[] {
  const things: Effect[] = names.map((name) => ({ kind: "thing", subject: packageSubject(name), after: { installed } satisfies PackageAfter }));
  const what = installed ? `what ${names.join(", ")} install (files, units, users)` : `what removing ${names.join(", ")} takes away`;
  return [...things, { kind: "unknown", what }];
}

type PackageFacts = Readonly<Record<string, Fact<boolean> | Fact<UpgradeAnswer>>>;

function packageFacts(args: PackageArgs, ctx: PlanContext): PackageFacts {
  const manager = managerOf(args, ctx);
  if (manager === undefined) return {};
  const facts: Record<string, Fact<boolean> | Fact<UpgradeAnswer>> = {};
  for (const [name, fact] of installedFacts(manager, args.name)) facts[`installed:${name}`] = fact;
  if (args.state === "latest") for (const [name, fact] of upgradeFacts(manager, args.name)) facts[`upgrade:${name}`] = fact;
  return facts;
}

function planPackages(args: PackageArgs, facts: Readonly<Record<string, unknown>>, ctx: PlanContext): Plan {
  const manager = managerOf(args, ctx);
  if (manager === undefined) return fail(`no supported package manager on ${ctx.host} (${ctx.facts?.packageManager ?? "no facts"})`, "set use: apt|dnf|yum");
  const isInstalled = (name: string): boolean => facts[`installed:${name}`] === true;
  if (args.state === "absent") {
    const present = args.name.filter(isInstalled);
    return present.length === 0 ? ok("not installed") : change([removeStep(manager, present)], `remove ${present.join(", ")}`, packageEffects(present, false));
  }
  const missing = args.name.filter((name) => !isInstalled(name));
  const answers = args.state === "latest" ? args.name.filter(isInstalled).map((name): [string, UpgradeAnswer | undefined] => [name, facts[`upgrade:${name}`] as UpgradeAnswer | undefined]) : [];
  const refused = answers.map(([, answer]) => (answer !== undefined && "error" in answer ? answer.error : undefined)).find((error) => error !== undefined);
  // an unknown name makes apt-get refuse the whole simulation: that only matters when nothing is to be installed anyway
  if (refused !== undefined && missing.length === 0) return fail(refused);
  const upgradable = answers.filter(([, answer]) => answer !== undefined && "upgradable" in answer && answer.upgradable).map(([name]) => name);
  const wanted = [...missing, ...upgradable];
  if (wanted.length === 0) return ok(args.state === "latest" ? "installed and up to date" : "installed");
  return change(installSteps(manager, wanted, args.update_cache), `install ${wanted.join(", ")}`, packageEffects(wanted, true));
}

export const packageModule = defineModule({
  name: "package",
  summary: "Install, upgrade or remove packages (apt, dnf, yum)",
  example: ["- name: Web server", "  package:", "    name: [nginx, curl]", "    state: present"].join("\n"),
  schema,
  facts: packageFacts,
  plan: planPackages,
});
