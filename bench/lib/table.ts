/**
 * The printed table (and README's): one row per host count and phase, medians of each tool's
 * wall seconds, the floor beside them, ratios against runbook, and CPU and RSS of the three
 * tools side by side ("runbook / ansible / mitogen").
 */
import { PHASES, type HostCountResult, type Summary } from "./results.js";
import { ratio } from "./stats.js";
import { TOOL_NAMES } from "./tools.js";

const PHASE_LABEL = { first: "first run", nochange: "no-change rerun", check: "check mode" } as const;

export function formatTable(results: readonly HostCountResult[]): string {
  const header = [
    "hosts", "phase", "floor s", "runbook s", "runbook/floor", "ansible s", "mitogen s", "ansible/runbook", "mitogen/runbook",
    "CPU s (runbook / ansible / mitogen)", "RSS MB (runbook / ansible / mitogen)",
  ];
  const rows: string[][] = [header];
  for (const result of results) {
    for (const phase of PHASES) {
      const medians = result.medians[phase] ?? {};
      const [runbook, ansible, mitogen] = TOOL_NAMES.map((tool) => medians[tool]);
      if (!runbook && !ansible && !mitogen) continue;
      const each = (pick: (summary: Summary) => number, digits: number): string =>
        [runbook, ansible, mitogen].map((summary) => fixed(summary && pick(summary), digits)).join(" / ");
      rows.push([
        String(result.hosts),
        PHASE_LABEL[phase],
        fixed(result.floorSeconds, 2),
        fixed(runbook?.seconds, 2),
        times(ratio(runbook?.seconds, result.floorSeconds)),
        fixed(ansible?.seconds, 2),
        fixed(mitogen?.seconds, 2),
        times(ratio(ansible?.seconds, runbook?.seconds)),
        times(ratio(mitogen?.seconds, runbook?.seconds)),
        each((summary) => summary.cpuSeconds, 2),
        each((summary) => summary.peakRssMb, 0),
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

