/**
 * The `local` connection: runs commands on the controller itself, with the same contract as
 * ssh (argv quoted by transport/quote.ts and run by `sh -c`, atomic put, sudo for become).
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { basename, dirname, join } from "node:path";
import { shellJoin } from "./quote.js";
import type { CommandResult, PutOptions, RunOptions, Transport } from "./types.js";
import { becomeCommand } from "./become.js";

export class LocalTransport implements Transport {
  constructor(readonly host: string = "localhost") {}

  async connect(): Promise<void> {}

  async close(): Promise<void> {}

  run(argv: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
    const { command, stdinPrefix } = becomeCommand(shellJoin(argv), options);
    return new Promise((resolve, reject) => {
      const child = spawn("sh", ["-c", command], {
        cwd: options.cwd,
        env: options.env ? { ...process.env, ...options.env } : process.env,
        stdio: ["pipe", "pipe", "pipe"],
      });
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      let timedOut = false;
      const timer = options.timeoutMs
        ? setTimeout(() => {
            timedOut = true;
            child.kill("SIGKILL");
          }, options.timeoutMs)
        : undefined;
      child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
      child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
      child.on("error", reject);
      child.on("close", (code) => {
        if (timer) clearTimeout(timer);
        const err = Buffer.concat(stderr).toString("utf8");
        resolve({
          rc: code ?? -1,
          stdout: Buffer.concat(stdout).toString("utf8"),
          stderr: timedOut ? `${err}timed out after ${options.timeoutMs} ms` : err,
        });
      });
      child.stdin.on("error", () => {}); // the command may exit without reading its input
      if (stdinPrefix) child.stdin.write(stdinPrefix);
      child.stdin.end(options.stdin ?? "");
    });
  }

  async put(path: string, content: Buffer, options: PutOptions = {}): Promise<void> {
    const result = await this.run(atomicWriteArgv(path, options), { stdin: content, become: options.become });
    if (result.rc !== 0) throw new Error(`cannot write ${path}: ${result.stderr.trim()}`);
  }
}

/**
 * A remote-side script that reads stdin into a temporary file beside `path`, sets its
 * owner/group/mode, then renames it into place, so readers never see a half-written file and
 * a broken upload leaves the old content. Shared by the local and ssh transports.
 */
export function atomicWriteArgv(path: string, options: PutOptions): string[] {
  const temp = join(dirname(path), `.${basename(path)}.runbook-${randomBytes(6).toString("hex")}.tmp`);
  const script = [
    'trap \'rm -f "$1"\' EXIT',
    'cat > "$1"',
    'if [ -n "$3" ]; then chown "$3" "$1"; fi',
    'if [ -n "$4" ]; then chgrp "$4" "$1"; fi',
    'if [ -n "$5" ]; then chmod "$5" "$1"; elif [ -e "$2" ]; then chmod "$(stat -c %a "$2")" "$1"; fi',
    'mv -f "$1" "$2"',
  ].join(" && ");
  return ["sh", "-c", script, "sh", temp, path, options.owner ?? "", options.group ?? "", options.mode ?? ""];
}
