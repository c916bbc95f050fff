/**
 * `--workload site`: the no-change rerun of playbooks/site.yaml (runbook only). The cluster needs
 * its own hosts (groups etcd, masters, nodes; systemd hosts), so the bench does not build them:
 * give the inventories of a cluster lab that is up, e.g.
 *   runbook lab up --name bnsite -i inventory/lab.yaml --init systemd   (with a free subnet)
 *   npm run bench -- --workload site -i inventory/lab.yaml -i .runbook/lab/bnsite/inventory.yaml
 * One untimed-in-the-table first run converges the hosts; then K reruns are timed.
 */
import { existsSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { measure, type Measurement } from "./measure.js";
import { hostCountResult, type HostCountResult, type Sample } from "./results.js";
import { changedCount } from "./stats.js";

export const SITE_MISSING = "site workload: playbooks/site.yaml not available yet";
export const SITE_NEEDS_INVENTORY = "site workload: give the cluster lab's inventories with -i (see bench/lib/site.ts)";

export function sitePlaybook(repo: string): string | undefined {
  const path = join(repo, "playbooks", "site.yaml");
  return existsSync(path) ? path : undefined;
}

export async function benchSite(repo: string, playbook: string, inventories: readonly string[], runs: number, log: (line: string) => void): Promise<HostCountResult> {
  const loadBefore = loadavg();
  const argv = ["node", join(repo, "bin/runbook.js"), playbook, ...inventories.flatMap((file) => ["-i", file])];
  const first = await measure(argv, { cwd: repo });
  if (first.rc !== 0) throw new Error(`site.yaml's first run failed (rc=${first.rc}):\n${first.output.slice(-3000)}`);
  const hosts = [...first.output.matchAll(/^(\S+)\s*:\s*ok=/gm)].length;
  const samples: Sample[] = [sample(first, "first", 1)];
  for (let run = 1; run <= runs; run++) {
    const result = await measure(argv, { cwd: repo });
    if (result.rc !== 0) throw new Error(`site.yaml's rerun failed (rc=${result.rc}):\n${result.output.slice(-3000)}`);
    const rerun = sample(result, "nochange", run);
    if (rerun.changed) log(`warning: site.yaml's rerun changed ${rerun.changed} things`);
    log(`  site, ${hosts} hosts, rerun ${run}: ${result.seconds.toFixed(2)} s  cpu ${result.cpuSeconds.toFixed(2)} s  rss ${result.peakRssMb.toFixed(0)} MB`);
    samples.push(rerun);
  }
  return hostCountResult(hosts, "site", loadBefore, samples);
}

function sample(result: Measurement, phase: "first" | "nochange", run: number): Sample {
  return { tool: "runbook", phase, run, seconds: result.seconds, cpuSeconds: result.cpuSeconds, peakRssMb: result.peakRssMb, changed: changedCount(result.output) };
}
