/**
 * `--limit @last-failed`: after every run the run command records the hosts that failed or were
 * unreachable in `.runbook/last-failed` (one name a line, like Ansible's .retry files); the
 * next run can limit itself to them. `--limit @FILE` reads any such file.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { OptionsError } from "../errors.js";
import type { HostStats } from "../executor/events.js";
import { hostOutcome, recapOrder } from "../report/recap.js";

export const LAST_FAILED_ALIAS = "@last-failed";

/** Where the previous run's failed hosts are kept, relative to the working directory. */
export function lastFailedFile(cwd: string = process.cwd()): string {
  return join(cwd, ".runbook", "last-failed");
}

/** The hosts of a finished run that failed or were unreachable, in name order. */
export function failedHosts(stats: ReadonlyMap<string, HostStats>): string[] {
  return recapOrder([...stats].filter(([, host]) => hostOutcome(host) === "failed").map(([name]) => name));
}

export function writeLastFailed(stats: ReadonlyMap<string, HostStats>, file: string = lastFailedFile()): void {
  mkdirSync(dirname(file), { recursive: true });
  const hosts = failedHosts(stats);
  writeFileSync(file, hosts.map((host) => `${host}\n`).join(""));
}

/**
 * The --limit pattern with `@last-failed` / `@FILE` replaced by the hosts listed in the file
 * (joined with ','); any other pattern is returned as it is.
 */
export function resolveLimit(limit: string | undefined, cwd: string = process.cwd()): string | undefined {
  if (limit === undefined || !limit.startsWith("@")) return limit;
  const file = limit === LAST_FAILED_ALIAS ? lastFailedFile(cwd) : resolve(cwd, limit.slice(1));
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === "ENOENT";
    throw new OptionsError(`--limit ${limit}: cannot read ${file}${missing ? " (no such file)" : ""}`, {
      hint: limit === LAST_FAILED_ALIAS ? "the file is written after every run: run the playbook once first" : "give a file with one host name a line",
    });
  }
  const hosts = text
    .split(/[\n,]/)
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
  if (hosts.length === 0) {
    throw new OptionsError(`--limit ${limit}: ${file} lists no hosts`, {
      hint: limit === LAST_FAILED_ALIAS ? "the previous run had no failed or unreachable host: nothing to rerun" : undefined,
    });
  }
  return hosts.join(",");
}
