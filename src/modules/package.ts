/** package: installs, upgrades or removes OS packages with apt, dnf or yum. */
import { z } from "zod";
import { defineLegacyModule, type LegacyPlan, type PlanContext, type Step } from "./types.js";
import { installedProbe, parseInstalled, parseUpgradable, upgradableProbe, type Manager } from "./support/packages.js";
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

export const packageModule = defineLegacyModule({
  name: "package",
  summary: "Install, upgrade or remove packages (apt, dnf, yum)",
  example: ["- name: Web server", "  package:", "    name: [nginx, curl]", "    state: present"].join("\n"),
  schema,
  probe: (args, ctx) => {
    const manager = managerOf(args, ctx);
    if (manager === undefined) return [];
    return args.state === "latest" ? [installedProbe(manager, args.name), upgradableProbe(manager, args.name)] : [installedProbe(manager, args.name)];
  },
  plan: (args, results, ctx): LegacyPlan => {
    const manager = managerOf(args, ctx);
    if (manager === undefined) {
      return { steps: [], failed: `no supported package manager on ${ctx.host} (${ctx.facts?.packageManager ?? "no facts"})`, msg: "set use: apt|dnf|yum" };
    }
    const [installedResult, upgradeResult] = results;
    if (installedResult === undefined) throw new Error("missing package probe result");
    const installed = parseInstalled(manager, installedResult);
    if (args.state === "absent") {
      const present = args.name.filter((name) => installed.has(name));
      return present.length === 0 ? { steps: [], msg: "not installed" } : { steps: [removeStep(manager, present)], msg: `remove ${present.join(", ")}` };
    }
    const missing = args.name.filter((name) => !installed.has(name));
    let upgradable: string[] = [];
    if (args.state === "latest" && upgradeResult !== undefined) {
      if (manager === "apt" && upgradeResult.rc !== 0 && missing.length === 0) {
        return { steps: [], failed: `apt-get could not plan the upgrade: ${upgradeResult.stderr.trim()}` };
      }
      const candidates = parseUpgradable(manager, upgradeResult, args.name);
      upgradable = args.name.filter((name) => installed.has(name) && candidates.has(name));
    }
    const wanted = [...missing, ...upgradable];
    if (wanted.length === 0) return { steps: [], msg: args.state === "latest" ? "installed and up to date" : "installed" };
    return { steps: installSteps(manager, wanted, args.update_cache), msg: `install ${wanted.join(", ")}` };
  },
});
