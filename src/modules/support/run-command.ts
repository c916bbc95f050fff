/**
 * What command, shell and script share: the creates/removes/chdir/env/stdin options, their
 * probes, and the wrapping of an argv in `cd` and `env` (a run step has neither).
 *
 * As Ansible's command module: a missing chdir fails before anything else (also in check
 * mode); creates/removes are globs, relative to chdir; stdin gets a final newline unless
 * `stdin_add_newline: false`.
 */
import { posix } from "node:path";
import { z } from "zod";
import type { Fact, FactValues, Plan, Step } from "../types.js";
import { directoryFact, globExistsFact } from "./path-facts.js";
import { change, fail, ok } from "./plan.js";
import { boolish } from "./schema.js";
import { shScript } from "../../transport/quote.js";

export const runOptionFields = {
  creates: z.string().min(1).optional().describe("Skip the command when a path matching this glob exists."),
  removes: z.string().min(1).optional().describe("Run the command only when a path matching this glob exists."),
  chdir: z.string().min(1).optional().describe("Directory to run the command in; the task fails when it is missing."),
  env: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String)).optional().describe("Extra environment variables."),
  stdin: z.string().optional().describe("Text fed to the command's standard input."),
  stdin_add_newline: boolish("Add a newline to stdin (as Ansible does by default).").default(true),
  strip_empty_ends: boolish("Strip the empty lines at the end of stdout/stderr in the registered result.").default(true),
};

export interface RunOptions {
  readonly creates?: string | undefined;
  readonly removes?: string | undefined;
  readonly chdir?: string | undefined;
  readonly env?: Readonly<Record<string, string>> | undefined;
  readonly stdin?: string | undefined;
  /** Default true, as Ansible's. */
  readonly stdin_add_newline?: boolean | undefined;
  /** Default true, as Ansible's. */
  readonly strip_empty_ends?: boolean | undefined;
}

/** creates/removes paths are relative to chdir, as in Ansible. */
function guardPath(path: string, chdir: string | undefined): string {
  return chdir !== undefined ? posix.resolve(chdir, path) : path;
}

// a type, not an interface: only a type is assignable to FactRequests' index signature
export type GuardFacts = {
  readonly creates: Fact<boolean> | undefined;
  readonly removes: Fact<boolean> | undefined;
  readonly chdir: Fact<boolean> | undefined;
};

/** One glob fact per guard, and whether chdir exists. */
export function guardFacts(options: RunOptions): GuardFacts {
  const fact = (path: string | undefined): Fact<boolean> | undefined => (path === undefined ? undefined : globExistsFact(guardPath(path, options.chdir)));
  return { creates: fact(options.creates), removes: fact(options.removes), chdir: options.chdir === undefined ? undefined : directoryFact(options.chdir) };
}

/** Why creates/removes skip the command, as Ansible says it: `'PATH' exists` / `'PATH' does not exist`. */
export function skipReason(options: RunOptions, guards: FactValues<GuardFacts>): { readonly path: string; readonly why: string } | undefined {
  if (guards.creates === true && options.creates !== undefined) return { path: options.creates, why: "exists" };
  if (guards.removes === false && options.removes !== undefined) return { path: options.removes, why: "does not exist" };
  return undefined;
}

/** Wraps argv so it runs in chdir with env set: `sh -c 'cd "$1" && shift && exec "$@"' sh DIR env K=V argv...`. */
export function wrapArgv(argv: readonly string[], options: RunOptions): string[] {
  const env = Object.entries(options.env ?? {});
  const withEnv = env.length > 0 ? ["env", ...env.map(([key, value]) => `${key}=${value}`), ...argv] : [...argv];
  if (options.chdir === undefined) return withEnv;
  return shScript('cd "$1" && shift && exec "$@"', options.chdir, ...withEnv);
}

/** stdin as the command gets it: with a final newline unless told not to (Ansible's run_command). */
export function stdinOf(options: RunOptions): string | undefined {
  if (options.stdin === undefined) return undefined;
  return options.stdin_add_newline === false ? options.stdin : `${options.stdin}\n`;
}

/** A chdir that is not there fails the task before creates/removes are looked at, as Ansible's. */
export function missingChdir(options: RunOptions, guards: FactValues<GuardFacts>): Plan | undefined {
  if (options.chdir === undefined || guards.chdir !== false) return undefined;
  return fail(`Unable to change directory before execution: ${options.chdir} is not a directory`, "create it first, or fix chdir");
}

/**
 * The plan of command and shell: one run step, unless a guard says to skip. What the command
 * leaves cannot be foreseen (`what` names it), so check mode treats what follows as unknown.
 */
export function planRun(argv: readonly string[], what: string, options: RunOptions, guards: FactValues<GuardFacts>): Plan {
  const missing = missingChdir(options, guards);
  if (missing !== undefined) return missing;
  const reason = skipReason(options, guards);
  if (reason !== undefined) {
    const stdout = `skipped, since ${reason.path} ${reason.why}`;
    return ok(`Did not run command since '${reason.path}' ${reason.why}`, { data: { stdout, stdout_lines: [stdout], rc: 0 } });
  }
  const outputEnds = options.strip_empty_ends === false ? "as-is" : "strip-empty-lines";
  const step: Step = { kind: "run", argv: wrapArgv(argv, options), stdin: stdinOf(options), outputEnds };
  return change([step], undefined, [{ kind: "unknown", what: `what \`${what}\` does` }]);
}
