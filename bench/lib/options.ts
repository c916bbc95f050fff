/** `npm run bench -- --hosts N [--runs K] [--workload generic|site] [--tools runbook,ansible]` */
import { Command, InvalidArgumentError, Option } from "commander";
import type { ToolName } from "./tools.js";

export interface BenchOptions {
  readonly hosts: readonly number[];
  readonly runs: number;
  readonly workload: "generic" | "site";
  readonly tools: readonly ToolName[];
  /** Keep the labs up at the end (default: bring them down). */
  readonly keep: boolean;
  readonly labPrefix: string;
  /** --workload site: inventories of hosts that are already up (the cluster's lab inventory and the lab's own). */
  readonly inventories: readonly string[];
}

export const DEFAULT_HOSTS = [3, 20, 100] as const;

function positive(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new InvalidArgumentError("expected a whole number >= 1");
  return Number(value);
}

function toolList(value: string): ToolName[] {
  const names = value.split(",").map((name) => name.trim()).filter(Boolean);
  for (const name of names) {
    if (name !== "runbook" && name !== "ansible") throw new InvalidArgumentError(`unknown tool '${name}' (runbook, ansible)`);
  }
  return names as ToolName[];
}

export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  const program = new Command("bench")
    .description("time runbook against ansible-playbook on fresh lab hosts")
    .option("--hosts <n>", "run one host count (default: 3, 20 and 100)", positive)
    .option("--runs <k>", "repetitions per tool (median reported)", positive, 3)
    .addOption(new Option("--workload <name>", "generic 12-task playbook, or playbooks/site.yaml's no-change rerun").choices(["generic", "site"]).default("generic"))
    .option("--tools <list>", "which tools to time", toolList, ["runbook", "ansible"] as ToolName[])
    .option("--keep", "leave the labs up at the end", false)
    .option("--lab-prefix <prefix>", "lab names are PREFIX<hosts>", "bn")
    .option("-i, --inventory <file>", "--workload site: an inventory of hosts already up (repeatable)", (value: string, previous: string[]) => [...previous, value], [] as string[])
    .exitOverride();
  program.parse(argv, { from: "user" });
  const flags = program.opts<{ hosts?: number; runs: number; workload: "generic" | "site"; tools: ToolName[]; keep: boolean; labPrefix: string; inventory: string[] }>();
  return {
    hosts: flags.hosts === undefined ? DEFAULT_HOSTS : [flags.hosts],
    runs: flags.runs,
    workload: flags.workload,
    tools: flags.tools,
    keep: flags.keep,
    labPrefix: flags.labPrefix,
    inventories: flags.inventory,
  };
}
