/** Which reports a run gets: the live view or the plain console, and the optional JSON, JUnit, HTML and timings. */
import { existsSync, writeFileSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import { OptionsError } from "../errors.js";
import { Chalk } from "chalk";
import type { EventListener } from "../executor/events.js";
import type { ReportListener } from "../report/report-event.js";
import { runExitCode } from "./exit-codes.js";
import { connectionSettings } from "../inventory/connection.js";
import type { Inventory } from "../inventory/types.js";
import { connectionLine } from "../report/connection-line.js";
import { consoleReporter } from "../report/console.js";
import { htmlReporter } from "../report/html.js";
import { jsonReporter } from "../report/json.js";
import { junitReporter } from "../report/junit.js";
import { maskedWriter } from "../report/mask.js";
import { progressReporter } from "../report/progress.js";
import { timingsReporter } from "../report/timings.js";
import type { RunFlags } from "./run-options.js";

/** `secrets` (vault values, the become password) are masked in everything these reports print. */
export function reportListeners(
  flags: RunFlags,
  options: { check: boolean; diff: boolean },
  inventory: Inventory,
  playbookFile: string,
  secrets: ReadonlySet<string> = new Set(),
): EventListener[] {
  // With --json, stdout carries only the JSON document; people read stderr.
  const human = flags.json ? process.stderr : process.stdout;
  const color = new Chalk({ level: human.isTTY ? 3 : 0 });
  const write = maskedWriter((text) => human.write(text), secrets);
  const terminal = {
    write,
    get columns(): number | undefined {
      return human.columns;
    },
  };
  const verbosity = flags.verbose ?? 0;
  const describeConnection = (host: string): string => connectionLine(connectionSettings(inventory.hostVars(host), host));
  const live = human.isTTY === true && flags.progress !== false && process.env["TERM"] !== "dumb";
  const listeners: ReportListener[] = [
    live ? progressReporter({ terminal, color, verbosity, describeConnection, ...options })
      : consoleReporter({ write, color, verbosity, describeConnection, ...options }),
  ];
  if (flags.timings) listeners.push(timingsReporter(write, color));
  if (flags.json) listeners.push(jsonReporter(maskedWriter((text) => process.stdout.write(text), secrets)));
  if (flags.junit !== undefined) listeners.push(junitReporter(maskedWriter(fileWriter(flags.junit, "--junit"), secrets)));
  if (flags.report !== undefined) listeners.push(htmlReporter(maskedWriter(fileWriter(flags.report, "--report"), secrets), `runbook ${basename(playbookFile)}${options.check ? " (check)" : ""}`));
  return [toReports(listeners)];
}

/** The reports see the run's end with the exit code the CLI decides (exit-code.ts). */
export function toReports(listeners: readonly ReportListener[]): EventListener {
  return (event) => {
    const seen = event.type === "run-end" ? { ...event, exitCode: runExitCode(event) } : event;
    for (const listener of listeners) listener(seen);
  };
}

/** Checks before the run that the report's directory exists, so a typo does not cost a whole run's report. */
function fileWriter(path: string, flag: string): (text: string) => void {
  const dir = dirname(resolve(path));
  if (!existsSync(dir)) throw new OptionsError(`${flag} ${path}: the directory ${dir} does not exist`, { hint: "create it first, or write the report elsewhere" });
  return (text) => writeFileSync(path, text);
}
