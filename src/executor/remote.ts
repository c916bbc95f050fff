/**
 * The executor's side of a module: run its probes (several in one round trip), then its steps.
 * Modules never see the transport; this file is the only place where plans meet hosts.
 */
import { randomBytes } from "node:crypto";
import type { Probe, ProbeResult, ReconnectStep, Step } from "../modules/types.js";
import { quote, shellJoin } from "../transport/quote.js";
import { fetchToController } from "./fetch-step.js";
import type { BecomeOptions, CommandResult, Transport } from "../transport/types.js";
import type { ReconnectOutcome } from "./reconnect.js";

/**
 * Runs probes and returns their results in order. Several probes go to the host as one script,
 * each probe's stdout followed by a marker line carrying its exit code and then its stderr,
 * so N probes cost one round trip instead of N.
 */
export async function runProbes(
  transport: Transport,
  probes: readonly Probe[],
  become: BecomeOptions | undefined,
  timeoutMs?: number,
): Promise<ProbeResult[]> {
  if (probes.length === 0) return [];
  if (probes.length === 1) {
    const only = probes[0] as Probe;
    return [await transport.run(only.argv, { become, timeoutMs })];
  }
  const mark = `__runbook_${randomBytes(8).toString("hex")}`;
  const result = await transport.run(["sh", "-c", probeScript(probes, mark)], { become, timeoutMs });
  return splitProbeOutput(result, mark, probes.length);
}

/**
 * The batch script. It is run on every host for every batch, so it starts as few processes as it
 * can (at 100 hosts on a small machine, process starts are most of the host-side cost): stderr
 * goes to one temp file that is printed only when not empty (`[` is a shell builtin), and a
 * `sh -c SCRIPT` probe runs in a subshell of this shell instead of a new sh. The script's own
 * variables are prefixed `__rb_` so that a probe's script cannot trip over them.
 */
export function probeScript(probes: readonly Probe[], mark: string): string {
  return markedScript(
    probes.map((probe) => ({ line: `${probeCommand(probe.argv)} </dev/null` })),
    mark,
  );
}

/** One command of a marked script; `stopUnless`: the script ends after it unless its exit code is one of these. */
export interface MarkedCommand {
  readonly line: string;
  readonly stopUnless?: readonly number[] | undefined;
}

/**
 * Commands in one script, each one's stdout followed by a marker line with its exit code, then
 * its stderr and an end marker (split again by splitProbeOutput). A command with `stopUnless`
 * ends the script when it fails: the commands after it do not run, and their markers are missing.
 */
export function markedScript(commands: readonly MarkedCommand[], mark: string): string {
  const lines = ["__rb_t=$(mktemp) || exit 97", 'trap \'rm -f "$__rb_t"\' EXIT'];
  for (const command of commands) {
    lines.push(`${command.line} 2>"$__rb_t"; __rb_rc=$?`);
    lines.push(`printf '\\n%s %d\\n' ${mark} "$__rb_rc"; [ -s "$__rb_t" ] && cat "$__rb_t"; printf '\\n%s\\n' ${mark}-end`);
    if (command.stopUnless !== undefined) lines.push(`case $__rb_rc in ${command.stopUnless.join("|")}) ;; *) exit 0 ;; esac`);
  }
  return lines.join("\n");
}

/** A command (a probe or a step's argv) as one command of a marked script. */
export function probeCommand(argv: readonly string[]): string {
  const [shell, flag, script, , ...args] = argv;
  // shScript's shape: ["sh", "-c", script, "sh", ...args]. `set --` gives the script its $1...;
  // the subshell keeps its `exit` and its variables to itself.
  if (argv.length >= 4 && shell === "sh" && flag === "-c" && script !== undefined) {
    return `( set -- ${args.map(quote).join(" ")}\n${script}\n)`;
  }
  return `{ ${shellJoin(argv)} ; }`;
}

/** Splits the batched script's output back into one result per probe (pure, exported for tests). */
export function splitProbeOutput(result: CommandResult, mark: string, count: number): ProbeResult[] {
  const results: ProbeResult[] = [];
  let rest = result.stdout;
  for (let i = 0; i < count; i++) {
    const head = rest.indexOf(`\n${mark} `);
    const tail = rest.indexOf(`\n${mark}-end\n`, head);
    if (head < 0 || tail < 0) {
      // The script died part-way (e.g. the connection broke): report what is missing as failed.
      results.push({ rc: result.rc === 0 ? -1 : result.rc, stdout: "", stderr: result.stderr || "probe did not finish" });
      continue;
    }
    const stdout = rest.slice(0, head);
    const rcStart = head + mark.length + 2;
    const rcEnd = rest.indexOf("\n", rcStart);
    const rc = Number.parseInt(rest.slice(rcStart, rcEnd), 10);
    const stderr = rest.slice(rcEnd + 1, tail);
    results.push({ rc, stdout, stderr });
    rest = rest.slice(tail + mark.length + 6);
  }
  return results;
}

export interface StepOutcome {
  readonly ok: boolean;
  readonly commands: string[];
  /** The last command's output (what `register` shows). */
  readonly last?: CommandResult | undefined;
  readonly error?: string | undefined;
  /** Fields a reconnect step adds to the result (elapsed, rebooted). */
  readonly data?: Readonly<Record<string, unknown>> | undefined;
}

export interface ApplyOptions {
  readonly timeoutMs?: number | undefined;
  readonly env?: Readonly<Record<string, string>> | undefined;
  /** Runs a reconnect step (reconnect.ts), each of its commands within `timeoutMs`; without it such a step fails. */
  readonly reconnect?: ((step: ReconnectStep, timeoutMs: number | undefined) => Promise<ReconnectOutcome>) | undefined;
}

/** Runs a plan's steps in order, stopping at the first that fails. */
export async function applySteps(transport: Transport, steps: readonly Step[], become: BecomeOptions | undefined, options: ApplyOptions = {}): Promise<StepOutcome> {
  const commands: string[] = [];
  let last: CommandResult | undefined;
  let data: Readonly<Record<string, unknown>> | undefined;
  for (const step of steps) {
    commands.push(describeStep(step));
    if (step.kind === "reconnect") {
      if (options.reconnect === undefined) return { ok: false, commands, last, error: `internal: nothing here can reconnect to ${transport.host}` };
      const outcome = await options.reconnect(step, options.timeoutMs);
      data = { ...data, ...outcome.data };
      last = outcome.last;
      if (!outcome.ok) return { ok: false, commands, last, error: outcome.error, data };
      transport = outcome.transport; // the steps after it run over the new connection
      continue;
    }
    if (step.kind === "put") {
      await transport.put(step.path, step.content, { mode: step.mode, owner: step.owner, group: step.group, become });
      continue;
    }
    if (step.kind === "fetch") {
      const error = await fetchToController(transport, step, become, options.timeoutMs);
      if (error !== undefined) return { ok: false, commands, last, error };
      continue;
    }
    last = await transport.run(step.argv, { stdin: step.stdin, become, timeoutMs: options.timeoutMs, env: options.env });
    const failure = stepFailure(step, last);
    if (failure !== undefined) return { ok: false, commands, last, error: failure, data };
  }
  return { ok: true, commands, last, data };
}

/** Why a run step failed (its exit code is not one of its okCodes), or undefined when it did not. */
export function stepFailure(step: Extract<Step, { kind: "run" }>, last: CommandResult): string | undefined {
  if ((step.okCodes ?? [0]).includes(last.rc)) return undefined;
  const output = (last.stderr.trim() || last.stdout.trim()).split("\n").slice(-5).join("\n");
  return `command failed (rc=${last.rc}): ${shellJoin(step.argv)}${output ? `\n${output}` : ""}`;
}

/** A step in words for check mode and reports: the shell form of a command, or the file it writes. */
export function describeStep(step: Step): string {
  if (step.kind === "put") {
    const attributes = [step.mode && `mode ${step.mode}`, step.owner && `owner ${step.owner}`, step.group && `group ${step.group}`]
      .filter(Boolean)
      .join(", ");
    return `write ${step.path} (${step.content.length} bytes${attributes ? `, ${attributes}` : ""})`;
  }
  if (step.kind === "fetch") return `fetch ${step.src} to ${step.dest} on the controller`;
  if (step.kind === "reconnect") return step.describe;
  return step.describe ?? shellJoin(step.argv);
}
