/**
 * A workload (bench/workloads/NAME/: runbook.yaml, ansible.yaml) for one host count: for each
 * repetition, each tool in turn (the order alternates, A/B/C then C/B/A) gets freshly built
 * hosts and runs first run, no-change rerun and check mode; the floor is measured on the
 * repetition's first fresh hosts. A run that fails, or changes something where nothing should
 * change, ends that tool's phases in that repetition: it is logged and kept in the result's
 * `failures` (the table shows "-"), and the other tools go on (Mitogen lost hosts at 200 once,
 * which threw away the whole host count's figures).
 */
import { existsSync, readFileSync, rmSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { measureFloor, type Floor } from "./floor.js";
import { freshLab, type BenchLab } from "./lab.js";
import { measure } from "./measure.js";
import { hostCountResult, PHASES, type HostCountResult, type LoopDelay, type Sample } from "./results.js";
import { changedCount } from "./stats.js";
import { ansibleTool, runbookTool, type Phase, type Tool, type ToolName, type ToolSetup } from "./tools.js";

export interface WorkloadRun {
  readonly repo: string;
  readonly workload: string;
  readonly hosts: number;
  readonly runs: number;
  readonly tools: readonly ToolName[];
  readonly labPrefix: string;
  /** The labs' subnet (`runbook lab up --subnet`); undefined: the lab's own choice. */
  readonly subnet?: string | undefined;
  readonly workDir: string;
  /** ansible-mitogen's strategy plugins directory, when "mitogen" is among the tools. */
  readonly mitogenStrategies?: string | undefined;
  readonly log: (line: string) => void;
}

export async function benchWorkload(run: WorkloadRun): Promise<HostCountResult> {
  const loadBefore = loadavg();
  const samples: Sample[] = [];
  const floors: Floor[] = [];
  const failures: { tool: ToolName; summary: string }[] = [];
  for (let repetition = 0; repetition < run.runs; repetition++) {
    const order = repetition % 2 === 0 ? run.tools : [...run.tools].reverse();
    for (const [index, name] of order.entries()) {
      const lab = await freshLab(run.repo, run.labPrefix, run.hosts, run.subnet);
      if (index === 0) floors.push(await floorOf(run, lab));
      const tool = toolFor(name, run, { repo: run.repo, inventory: lab.inventory, hosts: run.hosts, workDir: join(run.workDir, lab.name) });
      await tool.reset();
      try {
        for (const phase of PHASES) samples.push(await timePhase(tool, phase, repetition, run));
      } catch (error) {
        if (!(error instanceof PhaseFailure)) throw error;
        failures.push({ tool: name, summary: error.summary });
        run.log(`  ${error.summary}${error.firstFailure === undefined ? "" : `; first: ${error.firstFailure}`}`);
      } finally {
        await tool.reset(); // no SSH masters left behind to hosts about to be torn down
      }
    }
  }
  return { ...hostCountResult(run.hosts, run.workload, loadBefore, samples, floors), ...(failures.length > 0 ? { failures } : {}) };
}

/** A tool's run that failed: a line for the result, and for the log that line with the first failure the output shows. */
class PhaseFailure extends Error {
  constructor(
    readonly summary: string,
    readonly output: string,
  ) {
    super(summary);
  }

  get firstFailure(): string | undefined {
    return /^.*(?:UNREACHABLE!|FAILED!|fatal:|ERROR!).*$/m.exec(this.output)?.[0].slice(0, 500);
  }
}

/** How many hosts the recap shows unreachable and failed (Ansible's and runbook's recaps read alike). */
function recapCounts(output: string): string {
  const count = (field: string): number => [...output.matchAll(new RegExp(`\\b${field}=(\\d+)`, "g"))].filter((match) => Number(match[1]) > 0).length;
  return `${count("unreachable")} hosts unreachable, ${count("failed")} failed`;
}

function toolFor(name: ToolName, run: WorkloadRun, setup: ToolSetup): Tool {
  const dir = join(run.repo, "bench", "workloads", run.workload);
  if (name === "runbook") return runbookTool(setup, join(dir, "runbook.yaml"));
  if (name === "ansible") return ansibleTool(setup, join(dir, "ansible.yaml"));
  if (run.mitogenStrategies === undefined) throw new Error("mitogen: no strategy plugins directory (ensureMitogen)");
  return ansibleTool(setup, join(dir, "ansible.yaml"), run.mitogenStrategies);
}

async function floorOf(run: WorkloadRun, lab: BenchLab): Promise<Floor> {
  const floor = await measureFloor(run.repo, lab.inventory);
  run.log(
    `  ${run.hosts} hosts, floor: start ${floor.startSeconds.toFixed(2)} s + connect ${floor.connectSeconds.toFixed(2)} s + round trip ${floor.roundTripSeconds.toFixed(2)} s = ${floor.seconds.toFixed(2)} s`,
  );
  return floor;
}

async function timePhase(tool: Tool, phase: Phase, repetition: number, run: WorkloadRun): Promise<Sample> {
  const { argv, env, loopDelayFile } = tool.invocation(phase);
  if (loopDelayFile !== undefined) rmSync(loopDelayFile, { force: true });
  const result = await measure(argv, { env, cwd: run.repo });
  const loopDelayMs = loopDelayFile !== undefined && existsSync(loopDelayFile) ? (JSON.parse(readFileSync(loopDelayFile, "utf8")) as LoopDelay) : undefined;
  const changed = changedCount(result.output);
  if (result.rc !== 0) throw new PhaseFailure(`${tool.name} ${phase} at ${run.hosts} hosts failed (rc=${result.rc}, ${recapCounts(result.output)})`, result.output);
  if (phase === "first" && !changed) run.log(`warning: ${tool.name}'s first run changed nothing`);
  if (phase !== "first" && changed) throw new PhaseFailure(`${tool.name} ${phase} at ${run.hosts} hosts changed ${changed} things on converged hosts`, result.output);
  run.log(
    `  ${run.hosts} hosts, run ${repetition + 1}, ${tool.name.padEnd(7)} ${phase.padEnd(8)} ${result.seconds.toFixed(2)} s  cpu ${result.cpuSeconds.toFixed(2)} s  rss ${result.peakRssMb.toFixed(0)} MB${loopDelayMs ? `  loop delay p99 ${loopDelayMs.p99.toFixed(0)} ms (max ${loopDelayMs.max.toFixed(0)})` : ""}  (load ${loadavg()[0]?.toFixed(2)})`,
  );
  return { tool: tool.name, phase, run: repetition + 1, seconds: result.seconds, cpuSeconds: result.cpuSeconds, peakRssMb: result.peakRssMb, changed, loopDelayMs };
}
