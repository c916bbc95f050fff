/**
 * Per-case outcomes read from the tools' JSON reports: Ansible's json stdout callback
 * ({plays: [{tasks: [{task: {name}, hosts: {HOST: result}}]}]}) and runbook's --json report
 * ({tasks: [{host, task, status, msg}]}). A case's status is the status of its task "case";
 * its registered values come from the "var PATH" debug tasks after it.
 */
import { existsSync, readFileSync } from "node:fs";

export type Status = "ok" | "changed" | "failed" | "skipped" | "missing";

export interface TaskOutcome {
  status: Status;
  msg: string;
  vars: Record<string, unknown>;
}

type Outcomes = Map<string, TaskOutcome>;

function outcomeFor(outcomes: Outcomes, host: string): TaskOutcome {
  let outcome = outcomes.get(host);
  if (!outcome) {
    outcome = { status: "missing", msg: "", vars: {} };
    outcomes.set(host, outcome);
  }
  return outcome;
}

function readJson(path: string): unknown {
  if (!existsSync(path)) return undefined;
  const text = readFileSync(path, "utf8");
  // Ansible may print warnings before the document; the JSON starts at the first "{" line
  const start = text.search(/^\{/m);
  if (start < 0) return undefined;
  try {
    return JSON.parse(text.slice(start));
  } catch {
    return undefined;
  }
}

interface AnsibleResult {
  changed?: boolean;
  failed?: boolean;
  skipped?: boolean;
  unreachable?: boolean;
  msg?: unknown;
  [key: string]: unknown;
}

interface AnsibleReport {
  plays?: { tasks?: { task?: { name?: string }; hosts?: Record<string, AnsibleResult> }[] }[];
}

function ansibleStatus(result: AnsibleResult): Status {
  if (result.failed || result.unreachable) return "failed";
  if (result.skipped) return "skipped";
  return result.changed ? "changed" : "ok";
}

export function readAnsible(path: string): Outcomes {
  const outcomes: Outcomes = new Map();
  const report = readJson(path) as AnsibleReport | undefined;
  for (const play of report?.plays ?? []) {
    for (const { task, hosts } of play.tasks ?? []) {
      for (const [host, result] of Object.entries(hosts ?? {})) {
        const name = task?.name ?? "";
        if (name === "case") {
          const outcome = outcomeFor(outcomes, host);
          outcome.status = ansibleStatus(result);
          outcome.msg = typeof result.msg === "string" ? result.msg : JSON.stringify(result.msg ?? result.stderr ?? "");
        } else if (name.startsWith("var ")) {
          outcomeFor(outcomes, host).vars[name.slice(4)] = result[name.slice(4)];
        }
      }
    }
  }
  return outcomes;
}

interface RunbookReport {
  tasks?: { host: string; task: string; status: string; msg?: string }[];
}

const RUNBOOK_STATUSES: ReadonlySet<string> = new Set(["ok", "changed", "failed", "skipped"]);

export function readRunbook(path: string): Outcomes {
  const outcomes: Outcomes = new Map();
  const report = readJson(path) as RunbookReport | undefined;
  for (const { host, task, status, msg } of report?.tasks ?? []) {
    if (task === "case") {
      const outcome = outcomeFor(outcomes, host);
      outcome.status = RUNBOOK_STATUSES.has(status) ? (status as Status) : "failed";
      outcome.msg = msg ?? "";
    } else if (task.startsWith("var ")) {
      outcomeFor(outcomes, host).vars[task.slice(4)] = debugValue(msg ?? "");
    }
  }
  return outcomes;
}

/** runbook's debug var message is `"path": JSON`; Ansible's is that key in the result. */
function debugValue(msg: string): unknown {
  try {
    return Object.values(JSON.parse(`{${msg}}`) as Record<string, unknown>)[0];
  } catch {
    return msg;
  }
}
