/**
 * --junit FILE: one <testsuite> per play, one <testcase> per host x task (classname = host,
 * name = "[role : ]task"); failed tasks carry <failure>, unreachable hosts <error>, skipped
 * tasks <skipped/>. ok and changed pass; changed is said in <system-out>.
 */
import { taskTitle } from "./console.js";
import { collectRun, visibleMessage, type RecordedResult, type RunRecord } from "./collect.js";
import { isIgnored } from "../executor/events.js";
import type { ReportListener } from "./report-event.js";

export function junitReporter(write: (xml: string) => void): ReportListener {
  return collectRun((record) => write(junitXml(record)));
}

export function junitXml(record: RunRecord): string {
  const plays = new Map<string, RecordedResult[]>();
  for (const recorded of record.results) {
    const list = plays.get(recorded.task.play) ?? [];
    list.push(recorded);
    plays.set(recorded.task.play, list);
  }
  const suites = [...plays].map(([play, results]) => suiteXml(play, results));
  const all = record.results;
  const attributes = suiteAttributes("runbook", all);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ${attributes}>\n${suites.join("")}</testsuites>\n`;
}

function suiteXml(play: string, results: readonly RecordedResult[]): string {
  return `  <testsuite ${suiteAttributes(play, results)}>\n${results.map(caseXml).join("")}  </testsuite>\n`;
}

function suiteAttributes(name: string, results: readonly RecordedResult[]): string {
  const count = (status: string): number => results.filter(({ result }) => result.status === status && !isIgnored(result)).length;
  const seconds = results.reduce((sum, { result }) => sum + result.durationMs, 0) / 1000;
  return attrs({
    name,
    tests: results.length,
    failures: count("failed"),
    errors: count("unreachable"),
    skipped: count("skipped"),
    time: seconds.toFixed(3),
  });
}

function caseXml(recorded: RecordedResult): string {
  const { task, result } = recorded;
  const open = `    <testcase ${attrs({ name: taskTitle(task), classname: result.host, time: (result.durationMs / 1000).toFixed(3) })}`;
  const message = visibleMessage(recorded) ?? "";
  let body = "";
  if (result.status === "failed" && !isIgnored(result)) body = `      <failure ${attrs({ message: firstLine(message), type: task.module })}>${text(message)}</failure>\n`;
  else if (result.status === "unreachable") body = `      <error ${attrs({ message: firstLine(message), type: "unreachable" })}>${text(message)}</error>\n`;
  else if (result.status === "skipped") body = `      <skipped/>\n`;
  else if (result.status === "changed") body = `      <system-out>changed</system-out>\n`;
  else if (isIgnored(result)) body = `      <system-out>${text(`failed, ignored: ${message}`)}</system-out>\n`;
  return body === "" ? `${open}/>\n` : `${open}>\n${body}    </testcase>\n`;
}

function firstLine(message: string): string {
  return message.split("\n")[0] ?? "";
}

function attrs(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([key, value]) => `${key}="${text(String(value)).replace(/"/g, "&quot;").replace(/\n/g, "&#10;")}"`)
    .join(" ");
}

/** XML text: escaped, and without the control characters XML 1.0 cannot hold at all. */
export function text(value: string): string {
  return value
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, "\uFFFD")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;");
}
