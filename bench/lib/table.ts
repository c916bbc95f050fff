/** The printed table: one row per host count and phase, medians, ratio ansible/runbook. */
import { PHASES, type HostCountResult } from "./results.js";
import { ratio } from "./stats.js";

const PHASE_LABEL = { first: "first run", nochange: "no-change rerun", check: "check mode" } as const;

export function formatTable(results: readonly HostCountResult[]): string {
  const header = ["hosts", "phase", "runbook s", "ansible s", "ansible/runbook", "runbook CPU s", "ansible CPU s", "CPU ratio", "runbook RSS MB", "ansible RSS MB"];
  const rows: string[][] = [header];
  for (const result of results) {
    for (const phase of PHASES) {
      const runbook = result.medians[phase]?.runbook;
      const ansible = result.medians[phase]?.ansible;
      if (!runbook && !ansible) continue;
      rows.push([
        String(result.hosts),
        PHASE_LABEL[phase],
        fixed(runbook?.seconds, 2),
        fixed(ansible?.seconds, 2),
        times(ratio(ansible?.seconds, runbook?.seconds)),
        fixed(runbook?.cpuSeconds, 2),
        fixed(ansible?.cpuSeconds, 2),
        times(ratio(ansible?.cpuSeconds, runbook?.cpuSeconds)),
        fixed(runbook?.peakRssMb, 0),
        fixed(ansible?.peakRssMb, 0),
      ]);
    }
  }
  return markdown(rows);
}

/** A GitHub-flavoured Markdown table, so the same text goes into the README. */
export function markdown(rows: readonly (readonly string[])[]): string {
  const widths = (rows[0] ?? []).map((_, column) => Math.max(...rows.map((row) => (row[column] ?? "").length)));
  const line = (row: readonly string[]): string => `| ${row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(" | ")} |`;
  const [head, ...body] = rows;
  return [line(head ?? []), `|${widths.map((width) => "-".repeat(width + 2)).join("|")}|`, ...body.map(line)].join("\n");
}

export function fixed(value: number | undefined, digits: number): string {
  return value === undefined || !Number.isFinite(value) ? "-" : value.toFixed(digits);
}

function times(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(1)}x` : "-";
}

