/**
 * `npm run bench -- --hosts N[,M...] [--runs K] [--workload generic|loops|site] [--tools runbook,ansible,mitogen]`
 *
 * Times runbook (the built CLI, dist/) against ansible-playbook, plain and with Mitogen, on
 * fresh lab hosts and prints a Markdown table; writes bench/results/<workload>.json and
 * bench/results/<workload>.svg. The last line is the headline: the no-change ratios
 * ansible/runbook and mitogen/runbook at the last host count.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { renderChart } from "./lib/chart.js";
import { labDown } from "./lib/lab.js";
import { parseBenchOptions, type BenchOptions } from "./lib/options.js";
import { saveResult, type HostCountResult } from "./lib/results.js";
import { benchSite, SITE_MISSING, SITE_NEEDS_INVENTORY, sitePlaybook } from "./lib/site.js";
import { ratio } from "./lib/stats.js";
import { formatTable } from "./lib/table.js";
import { ensureAnsible, ensureMitogen } from "./lib/tools.js";
import { benchWorkload } from "./lib/workload.js";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const resultsDir = join(repo, "bench", "results");
const log = (line: string): void => void process.stdout.write(`${line}\n`);

async function main(options: BenchOptions): Promise<void> {
  if (options.workload === "site") {
    const playbook = sitePlaybook(repo);
    if (playbook === undefined) return log(SITE_MISSING);
    if (options.inventories.length === 0) return log(SITE_NEEDS_INVENTORY);
    const result = await benchSite(repo, playbook, options.inventories, options.runs, log);
    saveResult(join(resultsDir, "site.json"), result);
    log(formatTable([result]));
    return;
  }
  if (options.tools.includes("ansible") || options.tools.includes("mitogen")) await ensureAnsible();
  const mitogenStrategies = options.tools.includes("mitogen") ? await ensureMitogen() : undefined;
  const measured: HostCountResult[] = [];
  try {
    for (const hosts of options.hosts) {
      log(`== ${options.workload} workload, ${hosts} hosts, ${options.runs} run(s) per tool`);
      const result = await benchWorkload({
        repo,
        workload: options.workload,
        hosts,
        runs: options.runs,
        tools: options.tools,
        labPrefix: options.labPrefix,
        subnet: options.subnet,
        workDir: join(repo, ".runbook", "bench"),
        mitogenStrategies,
        log,
      });
      const all = saveResult(join(resultsDir, `${options.workload}.json`), result);
      measured.push(all[String(hosts)] ?? result);
      writeChart(options.workload, Object.values(all));
    }
  } finally {
    if (!options.keep) for (const hosts of options.hosts) await labDown(repo, `${options.labPrefix}${hosts}`);
  }
  log("");
  log(formatTable(measured));
  for (const failure of measured.flatMap((result) => result.failures ?? [])) log(`failed: ${failure.summary}`);
  log(`load average (1/5/15 min) at the end: ${measured.at(-1)?.loadAfter.map((value) => value.toFixed(2)).join(" ")}`);
  log(`results: ${join(resultsDir, `${options.workload}.json`)}, chart: ${join(resultsDir, `${options.workload}.svg`)}`);
  const last = measured.at(-1);
  if (last) log(headline(last));
}

/** `nochange ratio ansible/runbook at 20 hosts: N (mitogen/runbook: M)`, and runbook against the floor. */
function headline(last: HostCountResult): string {
  const nochange = last.medians.nochange;
  const shown = (value: number): string => (Number.isFinite(value) ? value.toFixed(1) : "n/a");
  const ansible = ratio(nochange?.ansible?.seconds, nochange?.runbook?.seconds);
  const mitogen = ratio(nochange?.mitogen?.seconds, nochange?.runbook?.seconds);
  const floor = ratio(nochange?.runbook?.seconds, last.floorSeconds);
  return `nochange ratio ansible/runbook at ${last.hosts} hosts: ${shown(ansible)} (mitogen/runbook: ${shown(mitogen)}; runbook/floor: ${shown(floor)})`;
}

function writeChart(workload: string, results: readonly HostCountResult[]): void {
  mkdirSync(resultsDir, { recursive: true });
  const title = `${workload} workload: median seconds per run`;
  writeFileSync(join(resultsDir, `${workload}.svg`), renderChart(results, title));
}

main(parseBenchOptions(process.argv.slice(2))).catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
