/**
 * Several probes in one script, one round trip, and as few processes on the host as can be:
 * this script runs on every host for every read, and at fleet size process starts are most of
 * the hosts' cost.
 *
 * - Each command's stdout is followed on stdout by a marker line with its exit code, and its
 *   stderr on the channel's own stderr by a marker line: no temp file (no mktemp, cat and rm).
 * - Probes of a group (modules/types.ts ProbeGroup: file states, a user's groups) are answered
 *   together, one `stat` for all their paths, one `id` for a user's primary and other groups; a member the group cannot answer for certain runs on its own in
 *   a second read.
 * - Any other probe runs as before: a `sh -c SCRIPT` probe in a subshell (its `exit` and its
 *   variables stay its own), an argv as one command.
 *
 * RUNBOOK_PROBE_BATCH=off sends the earlier script (remote.ts probeScript: a temp file for
 * stderr), RUNBOOK_PROBE_GROUPS=off this one without groups, RUNBOOK_PROBE_NSS=off without the
 * getent group, to show that they change nothing but the cost.
 */
import { randomBytes } from "node:crypto";
import { fileStateGroup } from "../modules/support/file-state-group.js";
import { factsGroup } from "./facts-group.js";
import { getentGroup } from "../modules/support/getent-group.js";
import { idGroup } from "../modules/support/id-group.js";
import { readFileGroup } from "../modules/support/read-file-group.js";
import type { Probe, ProbeGroup, ProbeResult } from "../modules/types.js";
import type { BecomeOptions, CommandResult, RunOptions, Transport } from "../transport/types.js";
import { markedScript, probeCommand, runProbes as runProbesAsBefore, splitProbeOutput, type MarkedCommand } from "./remote.js";

export const PROBE_BATCH = process.env["RUNBOOK_PROBE_BATCH"] !== "off";
/** RUNBOOK_PROBE_NSS=off leaves getent passwd/group to getent (getent-group.ts reads the files where it certainly can). */
const NSS_GROUPS: readonly ProbeGroup[] = process.env["RUNBOOK_PROBE_NSS"] === "off" ? [] : [getentGroup];
/** RUNBOOK_FACTS_INLINE=off runs the facts script in a subshell like any other `sh -c` probe (facts-group.ts). */
const FACTS_GROUPS: readonly ProbeGroup[] = process.env["RUNBOOK_FACTS_INLINE"] === "off" ? [] : [factsGroup];
/** RUNBOOK_PROBE_READS=off reads each file with a cat of its own (read-file-group.ts: one cat for up to 8). */
const READ_GROUPS: readonly ProbeGroup[] = process.env["RUNBOOK_PROBE_READS"] === "off" ? [] : [readFileGroup];
export const PROBE_GROUPS: readonly ProbeGroup[] = process.env["RUNBOOK_PROBE_GROUPS"] === "off" ? [] : [fileStateGroup, idGroup, ...NSS_GROUPS, ...FACTS_GROUPS, ...READ_GROUPS];
const GROUPS = PROBE_GROUPS;

/** What the script runs: one probe, or the members of a group (indexes into the probes). */
type Unit =
  | { readonly kind: "probe"; readonly index: number }
  | { readonly kind: "group"; readonly group: ProbeGroup; readonly indexes: number[]; readonly members: (readonly string[])[] };

/** A unit and the shell commands that answer it. */
interface Planned {
  readonly unit: Unit;
  readonly commands: readonly string[];
}

/** Sorts the probes into units: every group with members is one unit, at its first member's place. */
export function batchUnits(probes: readonly Probe[], groups: readonly ProbeGroup[] = GROUPS): Unit[] {
  const units: Unit[] = [];
  const byGroup = new Map<ProbeGroup, Extract<Unit, { kind: "group" }>>();
  probes.forEach((probe, index) => {
    for (const group of groups) {
      const member = group.member(probe.argv);
      if (member === undefined) continue;
      let unit = byGroup.get(group);
      if (unit === undefined) {
        unit = { kind: "group", group, indexes: [], members: [] };
        byGroup.set(group, unit);
        units.push(unit);
      }
      unit.indexes.push(index);
      unit.members.push(member);
      return;
    }
    units.push({ kind: "probe", index });
  });
  return units;
}

/** The shell commands of each unit: one per probe, several per group. */
function planUnits(units: readonly Unit[], probes: readonly Probe[]): Planned[] {
  return units.map((unit) => ({ unit, commands: unit.kind === "probe" ? [probeCommand((probes[unit.index] as Probe).argv)] : unit.group.commands(unit.members) }));
}

/**
 * The script: each command, then its exit code on stdout and an end mark on stderr. A start mark
 * on stderr first: what sudo or a login script says before the script starts is nobody's stderr.
 * A command with `stopUnless` (a batch's step) ends the script when its exit code is not one of
 * them: the commands after it do not run, and their results are missing.
 */
export function batchScript(commands: readonly (string | MarkedCommand)[], mark: string): string {
  const start = `printf '%s\\n' ${mark}-start >&2`;
  const lines = commands.map((command) => {
    const { line, stopUnless } = typeof command === "string" ? { line: command, stopUnless: undefined } : command;
    const stop = stopUnless === undefined ? "" : `\ncase $__rb_rc in ${stopUnless.join("|")}) ;; *) exit 0 ;; esac`;
    return `{ ${line}\n} </dev/null; __rb_rc=$?; printf '\\n%s %d\\n' ${mark} "$__rb_rc"; printf '\\n%s\\n' ${mark} >&2${stop}`;
  });
  return [start, ...lines].join("\n");
}

/**
 * Commands in one script, one result each (undefined where the script stopped or died first), in
 * the script format runProbes uses: this one, or with RUNBOOK_PROBE_BATCH=off remote.ts's.
 */
export async function runMarkedCommands(transport: Transport, commands: readonly MarkedCommand[], options: RunOptions): Promise<(ProbeResult | undefined)[]> {
  const mark = `__runbook_${randomBytes(8).toString("hex")}`;
  if (!PROBE_BATCH) return splitProbeOutput(await transport.run(["sh", "-c", markedScript(commands, mark)], options), mark, commands.length);
  return splitBatchOutput(await transport.run(["sh", "-c", batchScript(commands, mark)], options), mark, commands.length);
}

/** Splits the script's output into one result per command; a command the script did not reach (it died) is missing. */
export function splitBatchOutput(result: CommandResult, mark: string, count: number): (ProbeResult | undefined)[] {
  const results: (ProbeResult | undefined)[] = [];
  let out = result.stdout;
  const started = result.stderr.indexOf(`${mark}-start\n`);
  let err = started < 0 ? result.stderr : result.stderr.slice(started + mark.length + 7);
  for (let i = 0; i < count; i++) {
    const head = out.indexOf(`\n${mark} `);
    const rcEnd = head < 0 ? -1 : out.indexOf("\n", head + mark.length + 2);
    const errEnd = err.indexOf(`\n${mark}\n`);
    if (head < 0 || rcEnd < 0 || errEnd < 0) {
      results.push(undefined);
      continue;
    }
    results.push({ rc: Number.parseInt(out.slice(head + mark.length + 2, rcEnd), 10), stdout: out.slice(0, head), stderr: err.slice(0, errEnd) });
    out = out.slice(rcEnd + 1);
    err = err.slice(errEnd + mark.length + 2);
  }
  return results;
}

/**
 * The probes' results in order: one probe as its own command, several in one script (and a
 * second one for what a group could not answer for certain).
 */
export const runProbes: typeof runProbesAsBefore = async (transport, probes, become, timeoutMs) => {
  if (!PROBE_BATCH || probes.length < 2) return runProbesAsBefore(transport, probes, become, timeoutMs);
  return runProbeBatch(transport, probes, become, timeoutMs, GROUPS);
};

async function runProbeBatch(
  transport: Transport,
  probes: readonly Probe[],
  become: BecomeOptions | undefined,
  timeoutMs: number | undefined,
  groups: readonly ProbeGroup[],
): Promise<ProbeResult[]> {
  const planned = planUnits(batchUnits(probes, groups), probes);
  const commands = planned.flatMap((entry) => entry.commands);
  const mark = `__runbook_${randomBytes(8).toString("hex")}`;
  const result = await transport.run(["sh", "-c", batchScript(commands, mark)], { become, timeoutMs });
  const outputs = splitBatchOutput(result, mark, commands.length);
  // The script died part-way (the connection broke, a timeout): what is missing failed.
  const unfinished: ProbeResult = { rc: result.rc === 0 ? -1 : result.rc, stdout: "", stderr: result.stderr || "probe did not finish" };
  const results = new Array<ProbeResult | undefined>(probes.length);
  let next = 0;
  for (const { unit, commands: own } of planned) {
    const answers = outputs.slice(next, next + own.length);
    next += own.length;
    if (unit.kind === "probe") results[unit.index] = answers[0] ?? unfinished;
    else if (answers.some((answer) => answer === undefined)) for (const index of unit.indexes) results[index] = unfinished;
    else unit.group.results(unit.members, answers as ProbeResult[]).forEach((answer, position) => (results[unit.indexes[position] as number] = answer));
  }
  const unsure = results.flatMap((answer, index) => (answer === undefined ? [index] : []));
  if (unsure.length > 0) {
    const again = await runProbeBatch(transport, unsure.map((index) => probes[index] as Probe), become, timeoutMs, []);
    unsure.forEach((index, position) => (results[index] = again[position]));
  }
  return results as ProbeResult[];
}
