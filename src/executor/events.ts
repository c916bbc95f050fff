/**
 * What the executor tells the world. It never prints: the console, progress, JSON and other
 * reports subscribe to these events (Ansible's callbacks, as a typed union).
 */
import type { FileDiff } from "../modules/types.js";
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
}

export interface TaskResult {
  readonly host: string;
  readonly status: TaskStatus;
  readonly durationMs: number;
  /** Epoch milliseconds when the host started the task. */
  readonly startedAt: number;
  readonly msg?: string | undefined;
  /** The commands that ran, or in check mode would run, in shell form. */
  readonly commands?: readonly string[] | undefined;
  readonly diffs?: readonly FileDiff[] | undefined;
  readonly rc?: number | undefined;
  readonly stdout?: string | undefined;
  readonly stderr?: string | undefined;
  /** The failure was ignored (`ignore_errors`): counted as ok+ignored like Ansible. */
  readonly ignored?: boolean | undefined;
  /** Loop item label, for one item's result inside a loop. */
  readonly item?: string | undefined;
  /** The task ran on another host (`delegate_to`). */
  readonly delegatedTo?: string | undefined;
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
      readonly exitCode: number;
      readonly interrupted: boolean;
    };

export type EventListener = (event: RunEvent) => void;

export function emptyStats(): HostStats {
  return { ok: 0, changed: 0, failed: 0, skipped: 0, unreachable: 0, ignored: 0, rescued: 0 };
}
