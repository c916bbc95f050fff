/**
 * `vite-node bench/host-cost.ts [--runs K] [--env NAME=VALUE]... LAB COMMAND...`
 *
 * What one run of COMMAND costs the hosts of lab LAB, in counts that the machine's load does not
 * change (wall time on a shared 2-core machine is too noisy to compare levers with):
 * - processes started per host: the host's PID namespace counter (ns_last_pid) before and after,
 *   less the one process each reading itself starts;
 * - host CPU per host: the host cgroup's cpuacct.usage (sshd, the shell and all it starts);
 * - bytes and packets per host, both ways, on the host's veth;
 * - the controller's CPU (user + system, GNU time) and the wall time, for reference.
 * Each run's figures are printed, then the medians. The lab must be up (`runbook lab up`).
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { measure } from "./lib/measure.js";
import { median } from "./lib/stats.js";

interface LabHost {
  readonly name: string;
  readonly init: { readonly pid: number };
  readonly veth: string;
  readonly cgroups: readonly string[];
}

interface Snapshot {
  readonly lastPid: number;
  readonly cpuNs: number;
  readonly rxBytes: number;
  readonly txBytes: number;
  readonly rxPackets: number;
  readonly txPackets: number;
}

interface RunCost {
  readonly processes: number;
  readonly hostCpuMs: number;
  /** Host to controller. */
  readonly bytesOut: number;
  /** Controller to host. */
  readonly bytesIn: number;
  readonly packets: number;
  readonly controllerCpuS: number;
  readonly wallS: number;
  readonly rc: number;
}

/** Options come first; the first other word is the lab, and everything after it is the command (vite-node drops "--"). */
function parseArgs(argv: readonly string[]): { lab: string; runs: number; env: Record<string, string>; command: string[] } {
  let runs = 3;
  const env: Record<string, string> = {};
  let i = 0;
  for (; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--") continue;
    if (arg === "--runs") runs = Number(argv[++i]);
    else if (arg === "--env") {
      const [name, ...value] = (argv[++i] ?? "").split("=");
      env[name as string] = value.join("=");
    } else break;
  }
  const [lab, ...command] = argv.slice(i).filter((arg, index) => index > 0 || arg !== "--");
  if (lab === undefined || command.length === 0) throw new Error("usage: host-cost.ts [--runs K] [--env NAME=VALUE]... LAB COMMAND...");
  return { lab, runs, env, command };
}

function readNumber(file: string): number {
  return Number(readFileSync(file, "utf8").trim());
}

/** The host's PID counter, read from inside its PID namespace (the reading starts one process there). */
function lastPid(host: LabHost): number {
  return Number(execFileSync("nsenter", ["-t", String(host.init.pid), "-p", "--", "cat", "/proc/sys/kernel/ns_last_pid"], { encoding: "utf8" }).trim());
}

function snapshot(host: LabHost): Snapshot {
  const cpuacct = host.cgroups.find((dir) => dir.includes("/cpuacct/"));
  const stat = (name: string): number => readNumber(join("/sys/class/net", host.veth, "statistics", name));
  return {
    lastPid: lastPid(host),
    cpuNs: cpuacct === undefined ? Number.NaN : readNumber(join(cpuacct, "cpuacct.usage")),
    // the veth's machine end: what it receives the host sent
    rxBytes: stat("rx_bytes"),
    txBytes: stat("tx_bytes"),
    rxPackets: stat("rx_packets"),
    txPackets: stat("tx_packets"),
  };
}

async function costOf(hosts: readonly LabHost[], command: readonly string[], env: NodeJS.ProcessEnv): Promise<RunCost> {
  const before = hosts.map(snapshot);
  const result = await measure(command, { env });
  const after = hosts.map(snapshot);
  const perHost = (pick: (s: Snapshot) => number): number =>
    hosts.reduce((sum, _, index) => sum + pick(after[index] as Snapshot) - pick(before[index] as Snapshot), 0) / hosts.length;
  return {
    // the `after` reading's own process is counted too
    processes: perHost((s) => s.lastPid) - 1,
    hostCpuMs: perHost((s) => s.cpuNs) / 1e6,
    bytesOut: perHost((s) => s.rxBytes),
    bytesIn: perHost((s) => s.txBytes),
    packets: perHost((s) => s.rxPackets + s.txPackets),
    controllerCpuS: result.cpuSeconds,
    wallS: result.seconds,
    rc: result.rc,
  };
}

function line(label: string, cost: RunCost): string {
  return [
    label.padEnd(8),
    `processes/host ${cost.processes.toFixed(1).padStart(5)}`,
    `host cpu ${cost.hostCpuMs.toFixed(1).padStart(6)} ms/host`,
    `bytes/host out ${cost.bytesOut.toFixed(0).padStart(6)} in ${cost.bytesIn.toFixed(0).padStart(6)}`,
    `packets/host ${cost.packets.toFixed(0).padStart(4)}`,
    `controller cpu ${cost.controllerCpuS.toFixed(2)} s`,
    `wall ${cost.wallS.toFixed(2)} s`,
    cost.rc === 0 ? "" : `rc ${cost.rc}`,
  ].join("  ");
}

const options = parseArgs(process.argv.slice(2));
const state = JSON.parse(readFileSync(resolve(".runbook", "lab", options.lab, "state.json"), "utf8")) as { hosts: LabHost[] };
const costs: RunCost[] = [];
for (let run = 1; run <= options.runs; run++) {
  const cost = await costOf(state.hosts, options.command, { ...process.env, FORCE_COLOR: "0", ...options.env });
  costs.push(cost);
  process.stdout.write(`${line(`run ${run}`, cost)}\n`);
}
const mid = (pick: (cost: RunCost) => number): number => median(costs.map(pick));
process.stdout.write(
  `${line("median", {
    processes: mid((c) => c.processes),
    hostCpuMs: mid((c) => c.hostCpuMs),
    bytesOut: mid((c) => c.bytesOut),
    bytesIn: mid((c) => c.bytesIn),
    packets: mid((c) => c.packets),
    controllerCpuS: mid((c) => c.controllerCpuS),
    wallS: mid((c) => c.wallS),
    rc: Math.max(...costs.map((c) => c.rc)),
  })}\n`,
);
