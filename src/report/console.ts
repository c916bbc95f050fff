/**
 * The plain console report, Ansible-style: PLAY/TASK banners, one line per host per task
 * (`ok: [k18s02]`, `changed: [k18s03]`), what ran or would run, diffs, and the PLAY RECAP.
 *
 * With `notableOnly` (the live view on a terminal prints through it) only results with
 * something to say are printed (failures, plans, diffs, debug messages, warnings), each under
 * its play and task banner, which is printed late, just before the first such line.
 */
import type { ChalkInstance } from "chalk";
import { isIgnored, type TaskRef, type TaskResult } from "../executor/events.js";
import type { ReportEvent } from "./report-event.js";
import { whereAndHint } from "./error-format.js";
import { formatDiff } from "./diff.js";
import { formatRecap } from "./recap.js";

export interface ConsoleOptions {
  readonly write: (text: string) => void;
  readonly color: ChalkInstance;
  readonly verbosity: number;
  readonly check: boolean;
  readonly diff: boolean;
  /** Print only results with details (see the file comment); banners only above them. */
  readonly notableOnly?: boolean | undefined;
  /** At -vvv: how each host of a play is reached (see connection-line.ts). */
  readonly describeConnection?: ((host: string) => string) | undefined;
}

const HIDDEN = "the output has been hidden due to 'no_log: true' on this task";

export function consoleReporter(options: ConsoleOptions): (event: ReportEvent) => void {
  const { write, color } = options;
  const quiet = options.notableOnly === true && options.verbosity === 0;
  // The play's and the task's banners wait here until something is printed under them
  // (at once unless quiet); a new task replaces the task banner, a new play both.
  let playBanner = "";
  let taskBanner = "";
  const banner = (title: string): string => `\n${title} ${"*".repeat(Math.max(3, 72 - title.length))}\n`;
  const flush = (text: string): void => {
    write(playBanner + taskBanner + text);
    playBanner = "";
    taskBanner = "";
  };
  return (event) => {
    switch (event.type) {
      case "play-start":
        playBanner = banner(`PLAY [${event.play.name}]`);
        taskBanner = "";
        if (options.verbosity >= 3 && options.describeConnection) {
          const describe = options.describeConnection;
          playBanner += event.hosts.map((host) => color.dim(`<${host}> ${describe(host)}\n`)).join("");
        }
        if (!quiet) flush("");
        break;
      case "task-start": {
        const kind = event.task.isHandler ? "RUNNING HANDLER" : "TASK";
        taskBanner = banner(`${kind} [${taskTitle(event.task)}]`);
        if (!quiet) flush("");
        break;
      }
      case "task-result":
      case "item-result": {
        const lines = resultLines(event.task, event.result, event.type === "item-result", options);
        if (!quiet || isNotable(event.result, lines)) flush(`${lines.join("\n")}\n`);
        break;
      }
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

/**
 * "role : name" or "name", on one line: an unnamed task is named after its arguments, and a
 * `content:` with newlines would break the banner and the --timings table, so control
 * characters are escaped as Ansible shows them (\n, \t, \r).
 */
export function taskTitle(task: TaskRef): string {
  return oneLine(`${task.role ? `${task.role} : ` : ""}${task.name}`);
}

const ESCAPES: Readonly<Record<string, string>> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

export function oneLine(text: string): string {
  return text.replace(/[\n\r\t]/g, (char) => ESCAPES[char] ?? char);
}

/** Failures always matter; other results when they carry more than their status line. */
function isNotable(result: TaskResult, lines: readonly string[]): boolean {
  return (result.status === "failed" && !isIgnored(result)) || result.status === "unreachable" || lines.length > 1;
}

function resultLines(task: TaskRef, result: TaskResult, isItem: boolean, options: ConsoleOptions): string[] {
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
      if (result.unknown === true && !isItem) lines.push(color.yellow(`  ${result.msg ?? "would run (result unknown in check mode)"}`));
      break;
    case "skipped":
      lines.push(color.cyan(`skipping: ${host}${item}`));
      break;
    case "unreachable":
      lines.push(color.red(`fatal: ${host}: UNREACHABLE! => ${continued(result.error.message)}`));
      break;
    case "failed":
      lines.push(color.red(`${isItem ? "failed" : "fatal"}: ${host}${item}: FAILED! => ${task.noLog ? HIDDEN : continued(result.error.message)}`));
      if (!task.noLog) lines.push(...whereAndHint(result.error, color));
      if (result.ignored === true) lines.push(color.cyan("...ignoring"));
      break;
  }
  const commands = result.commands ?? [];
  const showCommands = !isItem && commands.length > 0 && ((options.check && result.status === "changed") || verbosity >= 1);
  if (task.noLog) {
    if (showCommands) lines.push(`  (${commands.length} command${commands.length === 1 ? "" : "s"} hidden: no_log)`);
    return lines;
  }
  if (showCommands) for (const command of commands) lines.push(`  ${stepLine(command, options.check)}`);
  // debug exists to show its message; other modules' messages wait for -v.
  const showMsg = task.module === "debug" || verbosity >= 1;
  const shownAlready = result.status === "failed" || result.status === "unreachable" || (result.status === "changed" && result.unknown === true);
  if (showMsg && result.msg && !shownAlready) lines.push(`  ${result.msg}`);
  if (verbosity >= 1 && result.stdout) lines.push(indent(`stdout: ${result.stdout.trimEnd()}`));
  if (verbosity >= 1 && result.stderr) lines.push(indent(`stderr: ${result.stderr.trimEnd()}`));
  if (verbosity >= 2) lines.push(color.dim(`  (${result.durationMs} ms, started ${new Date(result.startedAt).toISOString()})`));
  if ((task.diff ?? options.diff) && result.diffs) for (const diff of result.diffs) lines.push(formatDiff(result.host, diff, color));
  return lines;
}

/**
 * One planned or run step. The executor describes a file upload as "write PATH (...)"
 * (executor/remote.ts describeStep) and a command in shell form.
 */
export function stepLine(command: string, check: boolean): string {
  if (command.startsWith("write ")) return `${check ? "would write" : "wrote"} ${command.slice("write ".length)}`;
  return `${check ? "would run" : "ran"}: ${command}`;
}

/** A message's further lines (command output, a hint) indented under its first. */
function continued(message: string): string {
  return message.replace(/\n/g, "\n    ");
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((line) => `  ${line}`)
    .join("\n");
}
