/**
 * Async jobs on the host (`async:` with `poll: 0`, read back by async_status), in Ansible's
 * place: a directory `~/.ansible_async/<jid>` of the user the task runs as. The executor starts
 * the job (executor/async-job.ts) with the script below, detached from the SSH session by
 * setsid (nohup where there is none), so it outlives the command that started it; the files:
 *
 *   meta        JSON written at the start: what the steps mean once they ran (changed, msg, data)
 *   out, err    the last step's stdout and stderr
 *   step        the index of the step that failed, when one did
 *   timedout    present when the job hit its time limit and was stopped
 *   rc          the last step's exit code, written last: the job is finished once it exists
 *
 * No Python is needed on the host: plain sh, and coreutils' `timeout` for the limit where it exists.
 */
import { quote, shellJoin, shScript } from "../../transport/quote.js";
import type { Probe, ProbeResult, Step } from "../types.js";

/** What the controller knew at launch about the job's outcome. */
export interface JobMeta {
  /** The steps change the host (the plan was a change, not ok-with-steps). */
  readonly changed: boolean;
  readonly msg?: string | undefined;
  readonly data?: Readonly<Record<string, unknown>> | undefined;
  /** Shell form of each step, for the failure message. */
  readonly commands: readonly string[];
  /** The job's time limit (`async:` seconds). */
  readonly limitSeconds: number;
}

/** Ansible's job ids look like j123456789012.4242; nothing else may name a job directory. */
const JOB_ID = /^[A-Za-z0-9_.-]+$/;

export function isJobId(jid: string): boolean {
  return JOB_ID.test(jid) && jid !== "." && jid !== "..";
}

/** The shell that sets $d to the job's directory, from the job id in $1. */
const JOB_DIR = 'd="${HOME:-/tmp}/.ansible_async/$1"';

/** Only command steps without stdin can run unattended from a script. */
export function scriptable(steps: readonly Step[]): steps is readonly Extract<Step, { kind: "run" }>[] {
  return steps.every((step) => step.kind === "run" && step.stdin === undefined);
}

/**
 * The command that starts a job and prints its directory: `sh -c LAUNCHER sh JID META LIMIT`.
 * The steps run in order as in applySteps, each step's exit code checked against its okCodes.
 */
export function launchArgv(jid: string, steps: readonly Extract<Step, { kind: "run" }>[], meta: JobMeta): readonly string[] {
  const lines = steps.map((step, index) => {
    const ok = (step.okCodes ?? [0]).join(" ");
    return [
      `${shellJoin(step.argv)} >"$d/out" 2>"$d/err" </dev/null; rc=$?`,
      `case " ${ok} " in *" $rc "*) ;; *) echo ${index} >"$d/step"; echo $rc >"$d/rc.tmp"; mv "$d/rc.tmp" "$d/rc"; exit 0 ;; esac`,
    ].join("\n");
  });
  const stepScript = [JOB_DIR, "rc=0", ...lines, 'echo $rc >"$d/rc.tmp"; mv "$d/rc.tmp" "$d/rc"'].join("\n");
  // The watcher: the steps under the time limit; a job stopped by it is finished and timed out.
  const job = [
    JOB_DIR,
    `steps=${quote(stepScript)}`,
    'if command -v timeout >/dev/null 2>&1; then timeout -k 2 "$2" sh -c "$steps" sh "$1"; else sh -c "$steps" sh "$1"; fi',
    '[ -e "$d/rc" ] || { : >"$d/timedout"; echo -1 >"$d/rc"; }',
  ].join("\n");
  const launcher = [
    JOB_DIR,
    "umask 077",
    'mkdir -p "$d" || exit 1',
    'printf "%s" "$2" >"$d/meta" || exit 1',
    `job=${quote(job)}`,
    'if command -v setsid >/dev/null 2>&1; then setsid sh -c "$job" sh "$1" "$3" </dev/null >/dev/null 2>&1 &',
    'else nohup sh -c "$job" sh "$1" "$3" </dev/null >/dev/null 2>&1 & fi',
    'printf "%s\\n" "$d"',
  ].join("\n");
  return shScript(launcher, jid, JSON.stringify(meta), String(meta.limitSeconds));
}

const SEPARATOR = "__runbook_async_job__";

/** Reads a job's files in one command: absent (exit 3), or each file after a separator line. */
export function statusProbe(jid: string): Probe {
  const files = ["meta", "rc", "step", "timedout", "out", "err"];
  const reads = files.map((file) => `printf '%s\\n' ${SEPARATOR}; [ -e "$d/${file}" ] && echo y && cat "$d/${file}"; echo`);
  return { argv: shScript([JOB_DIR, 'printf "%s\\n" "$d"', '[ -d "$d" ] || exit 3', ...reads].join("\n"), jid) };
}

export function cleanupStep(jid: string): Step {
  return { kind: "run", argv: shScript([JOB_DIR, 'rm -rf "$d"'].join("\n"), jid), describe: `rm -rf ~/.ansible_async/${jid}` };
}

/** A job as its files tell it. */
export type JobState =
  | { readonly kind: "absent"; readonly resultsFile: string }
  | { readonly kind: "running"; readonly resultsFile: string; readonly meta: JobMeta | undefined }
  | {
      readonly kind: "finished";
      readonly resultsFile: string;
      readonly meta: JobMeta | undefined;
      readonly rc: number;
      readonly failedStep: number | undefined;
      readonly timedOut: boolean;
      readonly stdout: string;
      readonly stderr: string;
    };

export function parseStatus(result: ProbeResult): JobState {
  const [head = "", ...parts] = result.stdout.split(`${SEPARATOR}\n`);
  const resultsFile = head.replace(/\n$/, "");
  if (result.rc === 3) return { kind: "absent", resultsFile };
  if (result.rc !== 0) throw new Error(`reading the job failed: ${result.stderr.trim() || `exit ${result.rc}`}`);
  // each part is "y\n<content>\n" when the file exists, "\n" when not
  const file = (index: number): string | undefined => {
    const part = parts[index];
    return part === undefined || !part.startsWith("y\n") ? undefined : part.slice(2, -1);
  };
  const meta = parseMeta(file(0));
  const rc = file(1);
  if (rc === undefined) return { kind: "running", resultsFile, meta };
  const step = file(2);
  return {
    kind: "finished",
    resultsFile,
    meta,
    rc: Number.parseInt(rc, 10),
    failedStep: step === undefined ? undefined : Number.parseInt(step, 10),
    timedOut: file(3) !== undefined,
    stdout: file(4) ?? "",
    stderr: file(5) ?? "",
  };
}

function parseMeta(text: string | undefined): JobMeta | undefined {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as JobMeta;
  } catch {
    return undefined;
  }
}
