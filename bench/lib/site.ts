/**
 * `--workload site`: the no-change rerun of playbooks/site.yaml (runbook only), on fresh hosts
 * converged once by an untimed first run.
 */
import { existsSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { freshLab } from "./lab.js";
import { measure } from "./measure.js";
import { summarize, type HostCountResult, type Sample } from "./results.js";
import { changedCount } from "./stats.js";
import { runbookTool } from "./tools.js";

export const SITE_MISSING = "site workload: playbooks/site.yaml not available yet";

export function sitePlaybook(repo: string): string | undefined {
  const path = join(repo, "playbooks", "site.yaml");
  return existsSync(path) ? path : undefined;
}

export async function benchSite(repo: string, playbook: string, hosts: number, runs: number, labPrefix: string, log: (line: string) => void): Promise<HostCountResult> {
  const loadBefore = loadavg();
  const lab = await freshLab(repo, labPrefix, hosts);
  const tool = runbookTool({ repo, inventory: lab.inventory, hosts, workDir: "" }, playbook);
  const first = await measure(tool.invocation("first").argv, { cwd: repo });
  if (first.rc !== 0) throw new Error(`site.yaml's first run failed (rc=${first.rc}):\n${first.output.slice(-3000)}`);
  const samples: Sample[] = [{ tool: "runbook", phase: "first", run: 1, seconds: first.seconds, cpuSeconds: first.cpuSeconds, peakRssMb: first.peakRssMb, changed: changedCount(first.output) }];
  for (let run = 1; run <= runs; run++) {
    const result = await measure(tool.invocation("nochange").argv, { cwd: repo });
    const changed = changedCount(result.output);
    if (result.rc !== 0) throw new Error(`site.yaml's rerun failed (rc=${result.rc}):\n${result.output.slice(-3000)}`);
    if (changed) log(`warning: site.yaml's rerun changed ${changed} things`);
    log(`  site, ${hosts} hosts, rerun ${run}: ${result.seconds.toFixed(2)} s  cpu ${result.cpuSeconds.toFixed(2)} s  rss ${result.peakRssMb.toFixed(0)} MB`);
    samples.push({ tool: "runbook", phase: "nochange", run, seconds: result.seconds, cpuSeconds: result.cpuSeconds, peakRssMb: result.peakRssMb, changed });
  }
  return { hosts, workload: "site", date: new Date().toISOString(), loadBefore, loadAfter: loadavg(), machine: `${cpus().length} x ${cpus()[0]?.model ?? "cpu"}`, samples, medians: summarize(samples) };
}
