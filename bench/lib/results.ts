/** The bench's data: samples, their medians per (hosts, phase, tool), and the JSON file they live in. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { dirname } from "node:path";
import type { Floor } from "./floor.js";
import { median } from "./stats.js";
import { TOOL_NAMES, type Phase, type ToolName } from "./tools.js";

export interface Sample {
  readonly tool: ToolName;
  readonly phase: Phase;
  readonly run: number;
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly peakRssMb: number;
  readonly changed: number | undefined;
  /** The event loop's delay in the tool's process, when measured (runbook). */
  readonly loopDelayMs?: LoopDelay | undefined;
}

export interface LoopDelay {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

export interface Summary {
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly peakRssMb: number;
  readonly runs: number;
}

export interface HostCountResult {
  readonly hosts: number;
  readonly workload: string;
  readonly date: string;
  /** Load averages (1, 5, 15 min) when the measurements started and ended: the machine is shared. */
  readonly loadBefore: readonly number[];
  readonly loadAfter: readonly number[];
  readonly machine: string;
  readonly samples: readonly Sample[];
  readonly medians: Partial<Record<Phase, Partial<Record<ToolName, Summary>>>>;
  /** When some tool's samples were kept from an earlier measurement: that measurement's date. */
  readonly keptFrom?: string | undefined;
  /** The floor (bench/lib/floor.ts) measured on each repetition's fresh hosts, and its median. */
  readonly floors?: readonly Floor[] | undefined;
  readonly floorSeconds?: number | undefined;
  /** Tools' runs that failed (bench/lib/workload.ts), one line each; their phases have no samples. */
  readonly failures?: readonly { readonly tool: ToolName; readonly summary: string }[] | undefined;
}

export const PHASES: readonly Phase[] = ["first", "nochange", "check"];

export function summarize(samples: readonly Sample[]): HostCountResult["medians"] {
  const medians: Partial<Record<Phase, Partial<Record<ToolName, Summary>>>> = {};
  for (const phase of PHASES) {
    for (const tool of TOOL_NAMES) {
      const mine = samples.filter((sample) => sample.phase === phase && sample.tool === tool);
      if (mine.length === 0) continue;
      medians[phase] = {
        ...medians[phase],
        [tool]: {
          seconds: median(mine.map((sample) => sample.seconds)),
          cpuSeconds: median(mine.map((sample) => sample.cpuSeconds)),
          peakRssMb: median(mine.map((sample) => sample.peakRssMb)),
          runs: mine.length,
        },
      };
    }
  }
  return medians;
}

/**
 * Results by host count. A new measurement of a host count replaces the old one, except that the
 * samples of a tool it did not run (`--tools runbook`) are kept from before, so the expensive
 * Ansible runs need not be repeated with every runbook change.
 */
export type ResultFile = Record<string, HostCountResult>;

export function loadResults(path: string): ResultFile {
  return existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as ResultFile) : {};
}

export function saveResult(path: string, result: HostCountResult): ResultFile {
  const saved = loadResults(path);
  const previous = saved[String(result.hosts)];
  // a tool that ran and failed was measured too: no earlier figures of its stand in
  const measured = new Set([...result.samples.map((sample) => sample.tool), ...(result.failures ?? []).map((failure) => failure.tool)]);
  const kept = (previous?.samples ?? []).filter((sample) => !measured.has(sample.tool));
  const samples = [...result.samples, ...kept];
  const withKept: HostCountResult = kept.length === 0 ? result : { ...result, samples, medians: summarize(samples), keptFrom: previous?.date };
  const merged: HostCountResult = withKept.floors?.length ? withKept : { ...withKept, floors: previous?.floors, floorSeconds: previous?.floorSeconds };
  const all = { ...saved, [String(result.hosts)]: merged };
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(all, null, 2)}\n`);
  return all;
}

/** The results of one host count, dated, with the machine and its load around the runs. */
export function hostCountResult(
  hosts: number,
  workload: string,
  loadBefore: readonly number[],
  samples: readonly Sample[],
  floors: readonly Floor[] = [],
): HostCountResult {
  return {
    hosts,
    workload,
    date: new Date().toISOString(),
    loadBefore,
    loadAfter: loadavg(),
    machine: `${cpus().length} x ${cpus()[0]?.model ?? "cpu"}`,
    samples,
    medians: summarize(samples),
    floors,
    floorSeconds: floors.length > 0 ? median(floors.map((floor) => floor.seconds)) : undefined,
  };
}
