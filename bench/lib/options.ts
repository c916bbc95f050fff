/** `npm run bench -- --hosts N[,M...] [--runs K] [--workload generic|loops|site] [--tools runbook,ansible,mitogen]` */
import { Command, InvalidArgumentError, Option } from "commander";
import { TOOL_NAMES, type ToolName } from "./tools.js";

export type Workload = "generic" | "loops" | "site";
export const WORKLOADS: readonly Workload[] = ["generic", "loops", "site"];

export interface BenchOptions {
  readonly hosts: readonly number[];
  readonly runs: number;
  readonly workload: Workload;
  readonly tools: readonly ToolName[];
  /** Keep the labs up at the end (default: bring them down). */
  readonly keep: boolean;
  readonly labPrefix: string;
  /** --subnet, else FLEET_SUBNET for more hosts than a lab's own /24 holds, else the lab's choice. */
  readonly subnet?: string | undefined;
  /** --workload site: inventories of hosts that are already up (the cluster's lab inventory and the lab's own). */
  readonly inventories: readonly string[];
}

export const DEFAULT_HOSTS = [3, 20, 100] as const;

/** A lab's own /24 holds hosts .11 to .254 (docs/lab.md). */
export const HOSTS_IN_A_24 = 244;
/** The subnet for a larger lab: a /22 holds 1,012 hosts. */
export const FLEET_SUBNET = "10.64.0.0/22";

function positive(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new InvalidArgumentError("expected a whole number >= 1");
  return Number(value);
}

/** "3,20" -> [3, 20]: host counts, run in the order given. */
function hostCounts(value: string): number[] {
  return value.split(",").map((count) => positive(count.trim()));
}

function toolList(value: string): ToolName[] {
  const names = value.split(",").map((name) => name.trim()).filter(Boolean);
  for (const name of names) {
    if (!(TOOL_NAMES as readonly string[]).includes(name)) throw new InvalidArgumentError(`unknown tool '${name}' (${TOOL_NAMES.join(", ")})`);
  }
  return names as ToolName[];
}

export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  const program = new Command("bench")
    .description("time runbook against ansible-playbook (plain, and with Mitogen) on fresh lab hosts")
    .option("--hosts <list>", "host counts, comma separated (default: 3,20,100)", hostCounts)
    .option("--runs <k>", "repetitions per tool (median reported)", positive, 3)
    .addOption(new Option("--workload <name>", "generic 12-task playbook, loops (lineinfile over items, a hostvars template), or playbooks/site.yaml's no-change rerun").choices([...WORKLOADS]).default("generic"))
    .option("--tools <list>", "which tools to time (runbook, ansible, mitogen)", toolList, [...TOOL_NAMES])
    .option("--keep", "leave the labs up at the end", false)
    .option("--lab-prefix <prefix>", "lab names are PREFIX<hosts>", "bn")
    .option("--subnet <cidr>", `the labs' subnet (default: the lab's own /24, ${FLEET_SUBNET} for more than ${HOSTS_IN_A_24} hosts)`)
    .option("-i, --inventory <file>", "--workload site: an inventory of hosts already up (repeatable)", (value: string, previous: string[]) => [...previous, value], [] as string[])
    .exitOverride();
  program.parse(argv, { from: "user" });
  const flags = program.opts<{ hosts?: number[]; runs: number; workload: Workload; tools: ToolName[]; keep: boolean; labPrefix: string; subnet?: string; inventory: string[] }>();
  const hosts = flags.hosts ?? DEFAULT_HOSTS;
  return {
    hosts,
    runs: flags.runs,
    workload: flags.workload,
    tools: flags.tools,
    keep: flags.keep,
    labPrefix: flags.labPrefix,
    subnet: flags.subnet ?? (Math.max(...hosts) > HOSTS_IN_A_24 ? FLEET_SUBNET : undefined),
    inventories: flags.inventory,
  };
}
