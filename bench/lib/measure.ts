/**
 * Runs one command as a child under GNU time and reads what it costs the controller: wall
 * seconds, CPU seconds (user + system of the child and every descendant it waited for) and peak
 * RSS (the largest single process among them, as getrusage reports it).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface Measurement {
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly peakRssMb: number;
  readonly rc: number;
  /** The child's stdout and stderr, for the recap checks and for error messages. */
  readonly output: string;
}

export interface MeasureOptions {
  readonly env?: NodeJS.ProcessEnv | undefined;
  readonly cwd?: string | undefined;
}

export async function measure(argv: readonly string[], options: MeasureOptions = {}): Promise<Measurement> {
  const dir = mkdtempSync(join(tmpdir(), "runbook-bench-"));
  const timeFile = join(dir, "time");
  try {
    const started = process.hrtime.bigint();
    const { rc, output } = await spawnCollect(["/usr/bin/time", "-o", timeFile, "-f", "%U %S %M", ...argv], options);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const [user = "0", system = "0", rssKb = "0"] = lastLine(readFileSync(timeFile, "utf8")).split(" ");
    return { seconds, cpuSeconds: Number(user) + Number(system), peakRssMb: Number(rssKb) / 1024, rc, output };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs a command to its end and returns its exit status and combined output. */
export function spawnCollect(argv: readonly string[], options: MeasureOptions = {}): Promise<{ rc: number; output: string }> {
  const [command, ...args] = argv;
  return new Promise((resolve, reject) => {
    const child = spawn(command ?? "true", args, { env: options.env ?? process.env, cwd: options.cwd, stdio: ["ignore", "pipe", "pipe"] });
    const chunks: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => chunks.push(chunk));
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ rc: code ?? (signal ? 128 : 1), output: Buffer.concat(chunks).toString("utf8") }));
  });
}

// GNU time prefixes "Command exited with non-zero status N" when the child fails.
function lastLine(text: string): string {
  return text.trim().split("\n").pop() ?? "";
}
