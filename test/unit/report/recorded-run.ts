/**
 * An event stream as the executor emits it (times fixed): three hosts, a check-mode run with
 * --diff, covering ok, changed with a planned command and a file write, a diff, a failure, an
 * ignored failure, an unreachable host, a skip, a no_log task, a role and a handler.
 */
import type { HostStats, TaskRef, TaskResult } from "../../../src/executor/events.js";
import type { ReportEvent } from "../../../src/report/report-event.js";
import { withError } from "./events.js";
import type { Play } from "../../../src/playbook/model.js";

const T0 = Date.UTC(2026, 10, 22, 12, 0, 0);
const play = { name: "Configure web" } as unknown as Play;
const hosts = ["web1", "web2", "web3"];

const ref = (name: string, module: string, extra: Partial<TaskRef> = {}): TaskRef => ({
  play: "Configure web",
  name,
  module,
  isHandler: false,
  noLog: false,
  ...extra,
});

const result = (host: string, status: TaskResult["status"], at: number, ms: number, extra: Partial<TaskResult> & { ignored?: boolean } = {}): TaskResult =>
  withError({ host, status, startedAt: T0 + at, durationMs: ms, ...extra });

const facts = ref("Gathering Facts", "setup");
const motd = ref("Install the motd", "copy", { role: "base" });
const restart = ref("Restart nginx", "command");
const secret = ref("Set the password", "shell", { noLog: true });
const handler = ref("reload nginx", "service", { isHandler: true });

function stats(values: Partial<HostStats>): HostStats {
  return { ok: 0, changed: 0, failed: 0, skipped: 0, unreachable: 0, ignored: 0, rescued: 0, ...values };
}

export const recordedRun: ReportEvent[] = [
  { type: "play-start", play, hosts },
  { type: "task-start", task: facts, hosts },
  { type: "task-result", task: facts, result: result("web1", "ok", 0, 300) },
  { type: "task-result", task: facts, result: result("web2", "ok", 0, 350) },
  {
    type: "task-result",
    task: facts,
    result: result("web3", "unreachable", 0, 5000, { msg: "web3 (root@10.0.0.3:22): connection refused (is sshd running and listening on that port?): connect ECONNREFUSED" }),
  },
  { type: "task-start", task: motd, hosts: ["web1", "web2"] },
  {
    type: "task-result",
    task: motd,
    result: result("web1", "changed", 400, 120, {
      commands: ["write /etc/motd (12 bytes, mode 0644)"],
      diffs: [{ path: "/etc/motd", before: "old line\n", after: "Welcome <web1> & co\n" }],
    }),
  },
  { type: "task-result", task: motd, result: result("web2", "ok", 400, 90, { msg: "/etc/motd is up to date" }) },
  { type: "task-start", task: restart, hosts: ["web1", "web2"] },
  { type: "task-result", task: restart, result: result("web1", "changed", 600, 2000, { commands: ["systemctl restart nginx"] }) },
  { type: "task-result", task: restart, result: result("web2", "failed", 600, 1500, { msg: "command failed (rc=1): systemctl restart nginx\nJob failed", commands: ["systemctl restart nginx"] }) },
  { type: "task-start", task: secret, hosts: ["web1"] },
  { type: "task-result", task: secret, result: result("web1", "changed", 2700, 50, { msg: "hunter2 set", commands: ["chpasswd <<< root:hunter2"] }) },
  { type: "warning", message: "some hosts failed", host: "web2" },
  { type: "task-start", task: handler, hosts: ["web1"] },
  { type: "task-result", task: handler, result: result("web1", "skipped", 2800, 1) },
  { type: "play-end", play },
  {
    type: "run-end",
    stats: new Map([
      ["web1", stats({ ok: 1, changed: 3, skipped: 1 })],
      ["web2", stats({ ok: 2, failed: 1 })],
      ["web3", stats({ unreachable: 1 })],
    ]),
    exitCode: 2,
    interrupted: false,
  },
];

export function replay(listener: (event: ReportEvent) => void, events: readonly ReportEvent[] = recordedRun): void {
  for (const event of events) listener(event);
}
