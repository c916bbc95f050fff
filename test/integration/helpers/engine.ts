/**
 * Helpers for the engine tests: run the real CLI as a child process (`node bin/runbook.js ...
 * --json`), parse the one JSON document it prints, and read a lab host's state back without
 * going through runbook (`labExec`: the host's namespaces, no ssh).
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { labExec, type LabInfo } from "../../../src/lab/index.js";
import type { JsonReport, JsonTask } from "../../../src/report/json.js";

export const REPO = join(import.meta.dirname, "..", "..", "..");
export const ENGINE_FIXTURES = join(REPO, "test", "fixtures", "engine");
const BIN = join(REPO, "bin", "runbook.js");

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliOptions {
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
}

/** `node bin/runbook.js ARGS`; never rejects: the exit code is part of the result. */
export function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: options.cwd ?? REPO, env: { ...process.env, NO_COLOR: "1", ...options.env }, maxBuffer: 64 * 1024 * 1024, timeout: 300_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

export interface EngineRun extends CliResult {
  readonly report: JsonReport;
}

/** A fixture playbook run against the lab with `--json`; fails loudly when stdout is not one JSON document. */
export async function runPlaybookJson(lab: LabInfo, playbook: string, args: readonly string[] = [], options: CliOptions = {}): Promise<EngineRun> {
  const result = await runCli([fixture(playbook), "-i", lab.inventoryFile, "--json", ...args], options);
  let report: JsonReport;
  try {
    report = JSON.parse(result.stdout) as JsonReport;
  } catch {
    throw new Error(`runbook ${playbook} exited ${result.code} without one JSON document on stdout:\n${result.stdout}\n--- stderr:\n${result.stderr}`);
  }
  return { ...result, report };
}

export function fixture(name: string): string {
  return name.startsWith("/") ? name : join(ENGINE_FIXTURES, name);
}

/** The results of one task, by host (the last one when a task ran more than once on a host). */
export function statusByHost(report: JsonReport, task: string): Record<string, string> {
  const found: Record<string, string> = {};
  for (const entry of report.tasks) if (entry.task === task) found[entry.host] = entry.status;
  return found;
}

export function tasksOf(report: JsonReport, host: string): JsonTask[] {
  return report.tasks.filter((entry) => entry.host === host);
}

/** Sum of one counter over all hosts. */
export function total(report: JsonReport, counter: keyof JsonReport["hosts"][string]): number {
  return Object.values(report.hosts).reduce((sum, stats) => sum + stats[counter], 0);
}

/** Runs a shell script inside a lab host (no ssh) and returns its stdout; throws on failure. */
export async function hostSh(lab: LabInfo, host: string, script: string): Promise<string> {
  const result = await labExec(lab.name, host, ["sh", "-c", script]);
  if (result.rc !== 0) throw new Error(`on ${host}: '${script}' exited ${result.rc}: ${result.stderr}`);
  return result.stdout;
}

/** Like hostSh on several hosts at once. */
export function hostsSh(lab: LabInfo, hosts: readonly string[], script: string): Promise<string[]> {
  return Promise.all(hosts.map((host) => hostSh(lab, host, script)));
}
