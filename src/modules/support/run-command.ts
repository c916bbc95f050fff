/**
 * What command and shell share: the creates/removes/chdir/env/stdin options, their `test -e`
 * probes, and the wrapping of an argv in `cd` and `env` (a run step has neither).
 */
import { posix } from "node:path";
import { z } from "zod";
import type { LegacyPlan, Probe, ProbeResult, Step } from "../types.js";
import { shScript } from "../../transport/quote.js";

export const runOptionFields = {
  creates: z.string().min(1).optional().describe("Skip the command when this path exists."),
  removes: z.string().min(1).optional().describe("Run the command only when this path exists."),
  chdir: z.string().min(1).optional().describe("Directory to run the command in."),
  env: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String)).optional().describe("Extra environment variables."),
  stdin: z.string().optional().describe("Text fed to the command's standard input."),
};

export interface RunOptions {
  readonly creates?: string | undefined;
  readonly removes?: string | undefined;
  readonly chdir?: string | undefined;
  readonly env?: Readonly<Record<string, string>> | undefined;
  readonly stdin?: string | undefined;
}

/** creates/removes paths are relative to chdir, as in Ansible. */
function guardPath(path: string, chdir: string | undefined): string {
  return chdir !== undefined ? posix.resolve(chdir, path) : path;
}

/** One `test -e` probe per guard, creates first. */
export function guardProbes(options: RunOptions): Probe[] {
  return [options.creates, options.removes]
    .filter((path): path is string => path !== undefined)
    .map((path) => ({ argv: ["test", "-e", guardPath(path, options.chdir)] }));
}

/** The reason to skip the command, if creates/removes say so. */
function skipReason(options: RunOptions, results: readonly ProbeResult[]): string | undefined {
  let index = 0;
  if (options.creates !== undefined) {
    if (results[index++]?.rc === 0) return `${options.creates} exists`;
  }
  if (options.removes !== undefined) {
    if (results[index]?.rc !== 0) return `${options.removes} does not exist`;
  }
  return undefined;
}

/** Wraps argv so it runs in chdir with env set: `sh -c 'cd "$1" && shift && exec "$@"' sh DIR env K=V argv...`. */
export function wrapArgv(argv: readonly string[], options: RunOptions): string[] {
  const env = Object.entries(options.env ?? {});
  const withEnv = env.length > 0 ? ["env", ...env.map(([key, value]) => `${key}=${value}`), ...argv] : [...argv];
  if (options.chdir === undefined) return withEnv;
  return shScript('cd "$1" && shift && exec "$@"', options.chdir, ...withEnv);
}

/** The plan of command and shell: one run step, unless a guard says to skip. */
export function planRun(argv: readonly string[], options: RunOptions, results: readonly ProbeResult[]): LegacyPlan {
  const reason = skipReason(options, results);
  if (reason !== undefined) return { steps: [], msg: `skipped: ${reason}` };
  const step: Step = { kind: "run", argv: wrapArgv(argv, options), stdin: options.stdin };
  return { steps: [step] };
}
