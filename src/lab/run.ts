/**
 * Runs the machine's tools from argument arrays (never a shell string). `run` returns the
 * result; `mustRun` turns a failure into a RunbookError that names the command and its stderr.
 */
import { spawn } from "node:child_process";
import { RunbookError } from "../errors.js";
import { TOOL_PACKAGES } from "./tools.js";

export interface ToolResult {
  readonly rc: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface ToolOptions {
  readonly stdin?: string | undefined;
  readonly timeoutMs?: number | undefined;
}

export function run(argv: readonly string[], options: ToolOptions = {}): Promise<ToolResult> {
  const [command, ...args] = argv;
  if (command === undefined) throw new Error("run: empty argv");
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["pipe", "pipe", "pipe"] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    const timer =
      options.timeoutMs === undefined ? undefined : setTimeout(() => child.kill("SIGKILL"), options.timeoutMs);
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    child.on("error", (error: NodeJS.ErrnoException) => {
      if (timer) clearTimeout(timer);
      reject(error.code === "ENOENT" ? missingTool(command, error) : error);
    });
    child.on("close", (code) => {
      if (timer) clearTimeout(timer);
      resolve({
        rc: code ?? -1,
        stdout: Buffer.concat(stdout).toString("utf8"),
        stderr: Buffer.concat(stderr).toString("utf8"),
      });
    });
    child.stdin.on("error", () => {}); // the tool may exit without reading its input
    child.stdin.end(options.stdin ?? "");
  });
}

/** Runs argv and returns stdout; a non-zero exit is a RunbookError with the command and stderr. */
export async function mustRun(argv: readonly string[], options: ToolOptions = {}): Promise<string> {
  const result = await run(argv, options);
  if (result.rc !== 0) {
    throw new RunbookError("runtime", `${argv.join(" ")} failed (exit ${result.rc}): ${result.stderr.trim()}`);
  }
  return result.stdout;
}

function missingTool(command: string, cause: unknown): RunbookError {
  const pkg = TOOL_PACKAGES[command];
  return new RunbookError("runtime", `${command} not found`, {
    hint: pkg ? `install it: apt-get install ${pkg}` : `install ${command}`,
    cause,
  });
}
