/**
 * What reports listen to: the executor's events, with the run's exit code on `run-end` (the
 * CLI decides it, cli/exit-code.ts, and adds it before the reports see the event).
 */
import type { RunEvent } from "../executor/events.js";

export type ReportEvent = Exclude<RunEvent, { type: "run-end" }> | (Extract<RunEvent, { type: "run-end" }> & { readonly exitCode: number });

export type ReportListener = (event: ReportEvent) => void;
