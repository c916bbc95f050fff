import { Chalk } from "chalk";
import { describe, expect, it } from "vitest";
import type { ReportEvent } from "../../../src/report/report-event.js";
import { consoleReporter, type ConsoleOptions } from "../../../src/report/console.js";
import { playStart, result, runEnd, taskRef, taskResult } from "./events.js";

/** What the console report prints for these events. */
function printed(events: readonly ReportEvent[], options: Partial<Omit<ConsoleOptions, "write">> = {}): string {
  let text = "";
  const report = consoleReporter({
    write: (chunk) => {
      text += chunk;
    },
    color: new Chalk({ level: 0 }),
    verbosity: 0,
    check: false,
    diff: false,
    ...options,
  });
  for (const event of events) report(event);
  return text;
}

const copy = taskRef({ name: "write config", module: "copy" });
const secret = taskRef({ name: "set password", module: "copy", noLog: true });
const written = result({
  status: "changed",
  msg: "content of /etc/app.conf differs",
  commands: ["write /etc/app.conf (6 bytes)"],
  diffs: [{ path: "/etc/app.conf", before: "old\n", after: "new\n" }],
  stdout: "out-text",
});

describe("console report", () => {
  it("prints Ansible-style banners for plays, tasks, role tasks and handlers", () => {
    const text = printed([
      playStart("Site", ["web1"]),
      { type: "task-start", task: taskRef({ name: "install", role: "nginx" }), hosts: ["web1"] },
      { type: "task-start", task: taskRef({ name: "restart nginx", isHandler: true }), hosts: ["web1"] },
    ]);
    expect(text).toBe(
      `\nPLAY [Site] ${"*".repeat(61)}\n` +
        `\nTASK [nginx : install] ${"*".repeat(50)}\n` +
        `\nRUNNING HANDLER [restart nginx] ${"*".repeat(41)}\n`,
    );
  });

  it.each([
    ["ok", result(), "ok: [web1]\n"],
    ["changed", result({ status: "changed" }), "changed: [web1]\n"],
    ["skipped", result({ status: "skipped" }), "skipping: [web1]\n"],
    ["failed", result({ status: "failed", msg: "boom" }), "fatal: [web1]: FAILED! => boom\n"],
    ["ignored", result({ status: "failed", msg: "boom", ignored: true }), "fatal: [web1]: FAILED! => boom\n...ignoring\n"],
    ["unreachable", result({ status: "unreachable", msg: "no route" }), "fatal: [web1]: UNREACHABLE! => no route\n"],
    ["delegated", result({ delegatedTo: "db1" }), "ok: [web1 -> db1]\n"],
  ])("one line for a %s result", (_what, res, expected) => {
    expect(printed([taskResult(copy, res)])).toBe(expected);
  });

  it("an item result names its item", () => {
    expect(printed([{ type: "item-result", task: copy, result: result({ status: "changed", item: "nginx" }) }])).toBe("changed: [web1] => (item=nginx)\n");
  });

  describe("check mode", () => {
    it("shows what would run for a change", () => {
      expect(printed([taskResult(copy, written)], { check: true })).toBe("changed: [web1]\n  would write /etc/app.conf (6 bytes)\n");
    });

    it("shows nothing more for an ok result", () => {
      expect(printed([taskResult(copy, result({ commands: ["stat /etc/app.conf"] }))], { check: true })).toBe("ok: [web1]\n");
    });

    it("outside check mode, what ran waits for -v", () => {
      expect(printed([taskResult(copy, written)])).toBe("changed: [web1]\n");
      expect(printed([taskResult(copy, written)], { verbosity: 1 })).toBe(
        "changed: [web1]\n  wrote /etc/app.conf (6 bytes)\n  content of /etc/app.conf differs\n  stdout: out-text\n",
      );
    });
  });

  it("--diff prints the unified diff under the result", () => {
    expect(printed([taskResult(copy, written)], { diff: true })).toBe(
      "changed: [web1]\n--- web1:/etc/app.conf (before)\n+++ web1:/etc/app.conf (after)\n@@ -1,1 +1,1 @@\n-old\n+new\n",
    );
  });

  it("debug shows its message without -v", () => {
    expect(printed([taskResult(taskRef({ module: "debug", name: "hello" }), result({ msg: "hi there" }))])).toBe("ok: [web1]\n  hi there\n");
  });

  describe("no_log", () => {
    it("hides commands, message, output and diff at every verbosity, in check and diff mode", () => {
      const text = printed([taskResult(secret, written)], { check: true, diff: true, verbosity: 3 });
      // How many commands ran may show; what they were may not.
      expect(text).toMatch(/^changed: \[web1\]\n( {2}\(\d+ commands? hidden: no_log\)\n)?$/);
    });

    it("hides a failure's message and a loop item", () => {
      expect(printed([taskResult(secret, result({ status: "failed", msg: "password=hunter2 rejected" }))])).toBe(
        "fatal: [web1]: FAILED! => the output has been hidden due to 'no_log: true' on this task\n",
      );
      expect(printed([{ type: "item-result", task: secret, result: result({ item: "hunter2" }) }])).toBe("ok: [web1] => (item=(hidden))\n");
    });
  });

  it("ends with the recap", () => {
    const text = printed([runEnd({ web1: { ok: 2, changed: 1 } })]);
    expect(text).toContain("PLAY RECAP");
    expect(text).toContain("web1 :  ok=2  changed=1  unreachable=0  failed=0");
  });

  it("prints warnings with the host", () => {
    expect(printed([{ type: "warning", message: "deprecated", host: "web1" }])).toBe("[WARNING]: [web1] deprecated\n");
  });
});
