/**
 * The `local` connection: runs commands on the controller itself, with the same contract as
 * ssh (argv quoted by transport/quote.ts and run by `sh -c`, atomic put, sudo for become).
 */
import { spawn } from "node:child_process";
import { atomicWriteArgv, putFailure } from "./atomic-write.js";
import { buildCommandLine } from "./command-line.js";
import type { CommandResult, PutOptions, RunOptions, Transport } from "./types.js";

export { atomicWriteArgv } from "./atomic-write.js";

export class LocalTransport implements Transport {
  constructor(readonly host: string = "localhost") {}

  async connect(): Promise<void> {}

  async close(): Promise<void> {}

  run(argv: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
    // env and cwd go into the command line (not spawn's options) so they survive sudo.
    const { command, stdinPrefix } = buildCommandLine(argv, options);
    return new Promise((resolve, reject) => {
      // its own process group, so a timeout can kill the whole command, not only `sh`
      const child = spawn("sh", ["-c", command], { stdio: ["pipe", "pipe", "pipe"], detached: true });
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      let timedOut = false;
      const timer = options.timeoutMs
        ? setTimeout(() => {
            timedOut = true;
            killGroup(child.pid);
          }, options.timeoutMs)
        : undefined;
      child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
      child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
      child.on("error", reject);
      const finish = (code: number | null): void => {
        if (timer) clearTimeout(timer);
        const err = Buffer.concat(stderr).toString("utf8");
        resolve({
          rc: timedOut ? -1 : (code ?? -1),
          stdout: Buffer.concat(stdout).toString("utf8"),
          stderr: timedOut ? `${err}timed out after ${options.timeoutMs} ms` : err,
        });
      };
      child.on("close", finish);
      // GNU timeout moves itself to its own process group, so after a kill our group's pipes may
      // stay open until it fires too: a timed-out command is done when `sh` is gone.
      child.on("exit", (code) => {
        if (timedOut) finish(code);
      });
      child.stdin.on("error", () => {}); // the command may exit without reading its input
      if (stdinPrefix) child.stdin.write(stdinPrefix);
      child.stdin.end(options.stdin ?? "");
    });
  }

  async put(path: string, content: Buffer, options: PutOptions = {}): Promise<void> {
    const result = await this.run(atomicWriteArgv(path, options, content.length), { stdin: content, become: options.become });
    if (result.rc !== 0) throw putFailure(this.host, path, result, options);
  }
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // already gone, or sudo'd processes we may not signal (their `timeout` wrapper stops them)
  }
}
