/**
 * What the executor tells the world. It never prints: the console, progress, JSON and other
 * reports subscribe to these events (Ansible's callbacks, as a typed union).
 */
import type { FileDiff } from "../modules/types.js";
import type { SourceLocation } from "../errors.js";
import type { Play } from "../playbook/model.js";

export type TaskStatus = "ok" | "changed" | "failed" | "skipped" | "unreachable";

/** Which task a result belongs to, in words fit for a report. */
export interface TaskRef {
  readonly play: string;
  readonly role?: string | undefined;
  readonly name: string;
  readonly module: string;
  readonly isHandler: boolean;
  /** Masks arguments and results in every report. */
  readonly noLog: boolean;
  /** The task's `diff:` keyword: show (or hide) its diffs whatever --diff says. */
  readonly diff?: boolean | undefined;
}

/**
 * Why a task failed or a host could not be reached, structured for the reports: the console
 * draws a code frame from `location`, and shows the command's exit code and stderr.
 */
export interface TaskError {
  readonly message: string;
  readonly location?: SourceLocation | undefined;
  readonly hint?: string | undefined;
  readonly rc?: number | undefined;
  readonly stderr?: string | undefined;
}

/** What every result may carry, whatever its status. */
interface ResultCommon {
  readonly host: string;
  readonly durationMs: number;
  /** Epoch milliseconds when the host started the task. */
  readonly startedAt: number;
  /** Why it ended so (ok, changed, skipped), or the error's message (failed, unreachable). */
  readonly msg?: string | undefined;
  /** The commands that ran, or in check mode would run, in shell form. */
  readonly commands?: readonly string[] | undefined;
  readonly diffs?: readonly FileDiff[] | undefined;
  readonly rc?: number | undefined;
  readonly stdout?: string | undefined;
  readonly stderr?: string | undefined;
  /** Loop item label, for one item's result inside a loop. */
  readonly item?: string | undefined;
  /** The task ran on another host (`delegate_to`). */
  readonly delegatedTo?: string | undefined;
}

/** One task's (or loop item's) result on one host, by status. */
export type TaskResult = ResultCommon &
  (
    | { readonly status: "ok" }
    /** `unknown`: check mode could not foresee what the change leaves ("would run (result unknown in check mode)"). */
    | { readonly status: "changed"; readonly unknown?: true | undefined }
    | { readonly status: "skipped" }
    /**
     * `ignored`: `ignore_errors` let the play go on; counted as ok+ignored like Ansible, and as
     * changed too when the failure changed the host (`changed`: a command that ran and failed).
     */
    | { readonly status: "failed"; readonly error: TaskError; readonly ignored?: boolean | undefined; readonly changed?: true | undefined }
    | { readonly status: "unreachable"; readonly error: TaskError; readonly ignored?: boolean | undefined }
  );

/** A result as a runner builds it, before the host and the timing are added. */
export type ResultBody = TaskResult extends infer R ? (R extends unknown ? Omit<R, "host" | "durationMs" | "startedAt"> : never) : never;

/** A failure that `ignore_errors` let pass. */
export function isIgnored(result: TaskResult): boolean {
  return (result.status === "failed" || result.status === "unreachable") && result.ignored === true;
}

export interface HostStats {
  ok: number;
  changed: number;
  failed: number;
  skipped: number;
  unreachable: number;
  ignored: number;
  rescued: number;
}

export type RunEvent =
  | { readonly type: "play-start"; readonly play: Play; readonly hosts: readonly string[] }
  | { readonly type: "task-start"; readonly task: TaskRef; readonly hosts: readonly string[] }
  | { readonly type: "task-result"; readonly task: TaskRef; readonly result: TaskResult }
  | { readonly type: "item-result"; readonly task: TaskRef; readonly result: TaskResult }
  | { readonly type: "play-end"; readonly play: Play }
  | { readonly type: "warning"; readonly message: string; readonly host?: string | undefined }
  | { readonly type: "interrupted" }
  | {
      readonly type: "run-end";
      readonly stats: ReadonlyMap<string, HostStats>;
      readonly interrupted: boolean;
    };

export type EventListener = (event: RunEvent) => void;

export function emptyStats(): HostStats {
  return { ok: 0, changed: 0, failed: 0, skipped: 0, unreachable: 0, ignored: 0, rescued: 0 };
}
