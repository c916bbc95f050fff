/**
 * The generic workload for one host count: for each repetition, each tool in turn (the order
 * alternates, A/B then B/A) gets freshly built hosts and runs first run, no-change rerun and
 * check mode. Runs that fail, or change something where nothing should change, stop the bench.
 */
import { loadavg } from "node:os";
import { join } from "node:path";
import { freshLab } from "./lab.js";
import { measure } from "./measure.js";
import { hostCountResult, PHASES, type HostCountResult, type Sample } from "./results.js";
import { changedCount } from "./stats.js";
import { ansibleTool, runbookTool, type Phase, type Tool, type ToolName } from "./tools.js";

export interface GenericRun {
  readonly repo: string;
  readonly hosts: number;
  readonly runs: number;
  readonly tools: readonly ToolName[];
  readonly labPrefix: string;
  readonly workDir: string;
  readonly log: (line: string) => void;
}

export async function benchGeneric(run: GenericRun): Promise<HostCountResult> {
  const workload = join(run.repo, "bench", "workloads", "generic");
  const loadBefore = loadavg();
  const samples: Sample[] = [];
  for (let repetition = 0; repetition < run.runs; repetition++) {
    const order = repetition % 2 === 0 ? run.tools : [...run.tools].reverse();
    for (const name of order) {
      const lab = await freshLab(run.repo, run.labPrefix, run.hosts);
      const setup = { repo: run.repo, inventory: lab.inventory, hosts: run.hosts, workDir: join(run.workDir, lab.name) };
      const tool: Tool = name === "runbook" ? runbookTool(setup, join(workload, "runbook.yaml")) : ansibleTool(setup, join(workload, "ansible.yaml"));
      await tool.reset();
      try {
        for (const phase of PHASES) samples.push(await timePhase(tool, phase, repetition, run));
      } finally {
        await tool.reset(); // no SSH masters left behind to hosts about to be torn down
      }
    }
  }
  return hostCountResult(run.hosts, "generic", loadBefore, samples);
}

async function timePhase(tool: Tool, phase: Phase, repetition: number, run: GenericRun): Promise<Sample> {
  const { argv, env } = tool.invocation(phase);
  const result = await measure(argv, { env, cwd: run.repo });
  const changed = changedCount(result.output);
  if (result.rc !== 0) throw new Error(`${tool.name} ${phase} at ${run.hosts} hosts failed (rc=${result.rc}):\n${result.output.slice(-3000)}`);
  if (phase === "first" && !changed) run.log(`warning: ${tool.name}'s first run changed nothing`);
  if (phase !== "first" && changed) throw new Error(`${tool.name} ${phase} changed ${changed} things on a converged host:\n${result.output.slice(-3000)}`);
  run.log(
    `  ${run.hosts} hosts, run ${repetition + 1}, ${tool.name.padEnd(7)} ${phase.padEnd(8)} ${result.seconds.toFixed(2)} s  cpu ${result.cpuSeconds.toFixed(2)} s  rss ${result.peakRssMb.toFixed(0)} MB  (load ${loadavg()[0]?.toFixed(2)})`,
  );
  return { tool: tool.name, phase, run: repetition + 1, seconds: result.seconds, cpuSeconds: result.cpuSeconds, peakRssMb: result.peakRssMb, changed };
}
