/**
 * The plain console report, Ansible-style: PLAY/TASK banners, one line per host per task
 * (`ok: [k18s02]`, `changed: [k18s03]`), what ran or would run, diffs, and the PLAY RECAP.
 */
import type { ChalkInstance } from "chalk";
import type { RunEvent, TaskRef, TaskResult } from "../executor/events.js";
import { formatDiff } from "./diff.js";
import { formatRecap } from "./recap.js";

export interface ConsoleOptions {
  readonly write: (text: string) => void;
  readonly color: ChalkInstance;
  readonly verbosity: number;
  readonly check: boolean;
  readonly diff: boolean;
}

const HIDDEN = "the output has been hidden due to 'no_log: true' on this task";

export function consoleReporter(options: ConsoleOptions): (event: RunEvent) => void {
  const { write, color } = options;
  const banner = (title: string): void => write(`\n${title} ${"*".repeat(Math.max(3, 72 - title.length))}\n`);
  return (event) => {
    switch (event.type) {
      case "play-start":
        banner(`PLAY [${event.play.name}]`);
        break;
      case "task-start": {
        const kind = event.task.isHandler ? "RUNNING HANDLER" : "TASK";
        banner(`${kind} [${event.task.role ? `${event.task.role} : ` : ""}${event.task.name}]`);
        break;
      }
      case "task-result":
      case "item-result":
        write(resultLines(event.task, event.result, event.type === "item-result", options));
        break;
      case "warning":
        write(`${color.magenta(`[WARNING]: ${event.host ? `[${event.host}] ` : ""}${event.message}`)}\n`);
        break;
      case "interrupted":
        write(`${color.red("\n[interrupted]: no new tasks were started after SIGINT")}\n`);
        break;
      case "run-end":
        write(`${formatRecap(event.stats, color)}\n`);
        break;
      case "play-end":
        break;
    }
  };
}

function resultLines(task: TaskRef, result: TaskResult, isItem: boolean, options: ConsoleOptions): string {
  const { color, verbosity } = options;
  const item = result.item !== undefined ? ` => (item=${task.noLog ? "(hidden)" : result.item})` : "";
  const host = result.delegatedTo ? `[${result.host} -> ${result.delegatedTo}]` : `[${result.host}]`;
  const lines: string[] = [];
  switch (result.status) {
    case "ok":
      lines.push(color.green(`ok: ${host}${item}`));
      break;
    case "changed":
      lines.push(color.yellow(`changed: ${host}${item}`));
      break;
    case "skipped":
      lines.push(color.cyan(`skipping: ${host}${item}`));
      break;
    case "unreachable":
      lines.push(color.red(`fatal: ${host}: UNREACHABLE! => ${result.msg ?? ""}`));
      break;
    case "failed":
      lines.push(color.red(`${isItem ? "failed" : "fatal"}: ${host}${item}: FAILED! => ${task.noLog ? HIDDEN : (result.msg ?? "")}`));
      if (result.ignored) lines.push(color.cyan("...ignoring"));
      break;
  }
  if (!task.noLog) {
    const commands = result.commands ?? [];
    const showCommands = (options.check && result.status === "changed") || verbosity >= 1;
    if (showCommands && !isItem) {
      for (const command of commands) lines.push(`  ${options.check ? "would run" : "ran"}: ${command}`);
    }
    // debug exists to show its message; other modules' messages wait for -v.
    const showMsg = task.module === "debug" || verbosity >= 1;
    if (showMsg && result.msg && result.status !== "failed" && result.status !== "unreachable") lines.push(`  ${result.msg}`);
    if (verbosity >= 1 && result.stdout) lines.push(indent(`stdout: ${result.stdout.trimEnd()}`));
    if (verbosity >= 1 && result.stderr) lines.push(indent(`stderr: ${result.stderr.trimEnd()}`));
    if (verbosity >= 2) lines.push(`  (${result.durationMs} ms)`);
    if (options.diff && result.diffs) for (const diff of result.diffs) lines.push(formatDiff(result.host, diff, color));
  }
  return `${lines.join("\n")}\n`;
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((line) => `  ${line}`)
    .join("\n");
}
