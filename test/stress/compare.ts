/**
 * Pure comparisons for the differential stress test: two runs' per-host, per-task results (from
 * the CLI's --json report) and two sets of tree dumps; each answers with the first difference
 * found, as a sentence naming the host and the task or path, or undefined when they agree.
 */
import type { JsonReport } from "../../src/report/json.js";

export interface TaskLine {
  readonly task: string;
  readonly status: string;
  readonly msg: string;
}

/** Each host's results in the order they came (a host's own order is the run's order). */
export function resultsByHost(report: JsonReport): Map<string, TaskLine[]> {
  const byHost = new Map<string, TaskLine[]>();
  for (const host of Object.keys(report.hosts)) byHost.set(host, []);
  for (const entry of report.tasks) {
    const lines = byHost.get(entry.host) ?? [];
    lines.push({ task: entry.task, status: entry.status, msg: entry.msg ?? "" });
    byHost.set(entry.host, lines);
  }
  return byHost;
}

export function firstResultDifference(a: JsonReport, b: JsonReport, labels: readonly [string, string]): string | undefined {
  if (a.exitCode !== b.exitCode) return `exit code: ${labels[0]} ${a.exitCode}, ${labels[1]} ${b.exitCode}`;
  const left = resultsByHost(a);
  const right = resultsByHost(b);
  for (const host of sortedUnion(left.keys(), right.keys())) {
    const one = left.get(host) ?? [];
    const other = right.get(host) ?? [];
    for (let index = 0; index < Math.max(one.length, other.length); index++) {
      const x = one[index];
      const y = other[index];
      if (x?.task === y?.task && x?.status === y?.status && x?.msg === y?.msg) continue;
      return `host ${host}, result ${index + 1}: ${labels[0]} ${describe(x)}; ${labels[1]} ${describe(y)}`;
    }
  }
  return undefined;
}

function describe(line: TaskLine | undefined): string {
  if (line === undefined) return "(no result)";
  return `task '${line.task}' ${line.status}${line.msg ? ` (${JSON.stringify(line.msg)})` : ""}`;
}

export function firstTreeDifference(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>, labels: readonly [string, string]): string | undefined {
  for (const host of sortedUnion(a.keys(), b.keys())) {
    const one = (a.get(host) ?? "").split("\n");
    const other = (b.get(host) ?? "").split("\n");
    for (let index = 0; index < Math.max(one.length, other.length); index++) {
      if (one[index] === other[index]) continue;
      const path = (one[index] ?? other[index] ?? "").split(" ")[0];
      return `host ${host}, path ${path}:\n  ${labels[0]}: ${one[index] ?? "(absent)"}\n  ${labels[1]}: ${other[index] ?? "(absent)"}`;
    }
  }
  return undefined;
}

/**
 * Each host's loop item results, as the console report prints them on stderr
 * (`changed: [h1] => (item=two)`): the --json report has one result per task, not per item.
 */
export function itemResultsByHost(consoleText: string): Map<string, string[]> {
  const byHost = new Map<string, string[]>();
  for (const match of consoleText.matchAll(/^([a-z]+): \[([^\]]+)\] => \(item=(.*)\)$/gm)) {
    const [, status, host, item] = match as unknown as [string, string, string, string];
    const lines = byHost.get(host) ?? [];
    lines.push(`${status} (item=${item})`);
    byHost.set(host, lines);
  }
  return byHost;
}

/** The first host whose loop item results differ. */
export function firstItemDifference(a: ReadonlyMap<string, readonly string[]>, b: ReadonlyMap<string, readonly string[]>, labels: readonly [string, string]): string | undefined {
  for (const host of sortedUnion(a.keys(), b.keys())) {
    const one = a.get(host) ?? [];
    const other = b.get(host) ?? [];
    const index = one.findIndex((line, i) => line !== other[i]);
    const at = index >= 0 ? index : one.length < other.length ? one.length : -1;
    if (at >= 0) return `host ${host}, item result ${at + 1}: ${labels[0]} ${one[at] ?? "(none)"}; ${labels[1]} ${other[at] ?? "(none)"}`;
  }
  return undefined;
}

/** `host: task` for every result of a rerun that changed, except the tasks allowed to. */
export function unexpectedChanges(report: JsonReport, allowed: ReadonlySet<string>): string[] {
  return report.tasks.filter((entry) => entry.status === "changed" && !allowed.has(entry.task)).map((entry) => `${entry.host}: ${entry.task}`);
}

/** `host: task: msg` of the first failed result, for a run that should not fail. */
export function firstFailure(report: JsonReport): string | undefined {
  const failed = report.tasks.find((entry) => entry.status === "failed" || entry.status === "unreachable");
  return failed ? `${failed.host}: ${failed.task}: ${failed.status}: ${failed.msg ?? ""}` : undefined;
}

/** Natural order (h2 before h10). */
function sortedUnion(a: Iterable<string>, b: Iterable<string>): string[] {
  return [...new Set([...a, ...b])].sort((x, y) => x.localeCompare(y, "en", { numeric: true }));
}
