/**
 * Drives the built CLI (`node bin/runbook.js`) as a person would: a child process, its exit code,
 * stdout and stderr, and signals. dist/ is kept fresh by the globalSetup setup/build.ts.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";

export const REPO = join(import.meta.dirname, "..", "..", "..");
const BIN = join(REPO, "bin", "runbook.js");

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunningCli {
  readonly child: ChildProcess;
  /** Everything printed so far (stdout + stderr interleaved as it arrived). */
  output(): string;
  /** Resolves once `text` has been printed (stdout or stderr); rejects when the process ends first. */
  waitFor(text: string | RegExp, timeoutMs?: number): Promise<void>;
  done: Promise<CliResult>;
}

export function startCli(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): RunningCli {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? REPO,
    env: { ...process.env, FORCE_COLOR: "0", ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  let all = "";
  const watchers = new Set<() => void>();
  const onData = (sink: Buffer[]) => (chunk: Buffer) => {
    sink.push(chunk);
    all += chunk.toString("utf8");
    for (const watcher of watchers) watcher();
  };
  child.stdout?.on("data", onData(stdout));
  child.stderr?.on("data", onData(stderr));
  const done = new Promise<CliResult>((resolve) => {
    child.on("close", (code, signal) => {
      for (const watcher of watchers) watcher();
      resolve({ code, signal, stdout: Buffer.concat(stdout).toString("utf8"), stderr: Buffer.concat(stderr).toString("utf8") });
    });
  });
  const waitFor = (text: string | RegExp, timeoutMs = 90_000): Promise<void> =>
    new Promise((resolve, reject) => {
      const seen = (): boolean => (typeof text === "string" ? all.includes(text) : text.test(all));
      const timer = setTimeout(() => {
        watchers.delete(check);
        reject(new Error(`timed out waiting for ${String(text)}; output so far:\n${all}`));
      }, timeoutMs);
      const check = (): void => {
        if (seen()) {
          clearTimeout(timer);
          watchers.delete(check);
          resolve();
        } else if (child.exitCode !== null || child.signalCode !== null) {
          clearTimeout(timer);
          watchers.delete(check);
          reject(new Error(`the CLI ended before printing ${String(text)}:\n${all}`));
        }
      };
      watchers.add(check);
      check();
    });
  return { child, output: () => all, waitFor, done };
}

export function runCli(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  return startCli(args, options).done;
}

/** The --json document on stdout. */
export interface JsonRun {
  exitCode: number;
  interrupted: boolean;
  hosts: Record<string, { ok: number; changed: number; failed: number; skipped: number; unreachable: number }>;
  tasks: { host: string; task: string; status: string; msg?: string; commands?: string[] }[];
}

export function parseJson(result: CliResult): JsonRun {
  try {
    return JSON.parse(result.stdout) as JsonRun;
  } catch {
    throw new Error(`stdout is not one JSON document (exit ${result.code}):\n${result.stdout}\n--- stderr ---\n${result.stderr}`);
  }
}
