/**
 * What command and shell share: the creates/removes/chdir/env/stdin options, their `test -e`
 * probes, and the wrapping of an argv in `cd` and `env` (a run step has neither).
 */
import { posix } from "node:path";
import { z } from "zod";
import type { Fact, FactValues, PathAfter, Plan, Step } from "../types.js";
import { change, ok } from "./plan.js";
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

/** Whether a path exists (`test -e`), as a fact about the path: check mode predicts it from an earlier change. */
function existsFact(path: string): Fact<boolean> {
  return {
    argv: ["test", "-e", path],
    subject: `path:${path}`,
    parse: (result) => result.rc === 0,
    predict: (after) => (after as PathAfter).exists,
  };
}

// a type, not an interface: only a type is assignable to FactRequests' index signature
export type GuardFacts = { readonly creates: Fact<boolean> | undefined; readonly removes: Fact<boolean> | undefined };

/** One existence fact per guard. */
export function guardFacts(options: RunOptions): GuardFacts {
  const fact = (path: string | undefined): Fact<boolean> | undefined => (path === undefined ? undefined : existsFact(guardPath(path, options.chdir)));
  return { creates: fact(options.creates), removes: fact(options.removes) };
}

/** The reason to skip the command, if creates/removes say so. */
function skipReason(options: RunOptions, guards: FactValues<GuardFacts>): string | undefined {
  if (guards.creates === true) return `${options.creates} exists`;
  if (guards.removes === false) return `${options.removes} does not exist`;
  return undefined;
}

/** Wraps argv so it runs in chdir with env set: `sh -c 'cd "$1" && shift && exec "$@"' sh DIR env K=V argv...`. */
export function wrapArgv(argv: readonly string[], options: RunOptions): string[] {
  const env = Object.entries(options.env ?? {});
  const withEnv = env.length > 0 ? ["env", ...env.map(([key, value]) => `${key}=${value}`), ...argv] : [...argv];
  if (options.chdir === undefined) return withEnv;
  return shScript('cd "$1" && shift && exec "$@"', options.chdir, ...withEnv);
}

/**
 * The plan of command and shell: one run step, unless a guard says to skip. What the command
 * leaves cannot be foreseen (`what` names it), so check mode treats what follows as unknown.
 */
export function planRun(argv: readonly string[], what: string, options: RunOptions, guards: FactValues<GuardFacts>): Plan {
  const reason = skipReason(options, guards);
  if (reason !== undefined) return ok(`skipped: ${reason}`);
  const step: Step = { kind: "run", argv: wrapArgv(argv, options), stdin: options.stdin };
  return change([step], undefined, [{ kind: "unknown", what: `what \`${what}\` does` }]);
}
