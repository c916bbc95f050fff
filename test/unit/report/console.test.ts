import { Chalk } from "chalk";
import { describe, expect, it } from "vitest";
import { consoleReporter, stepLine } from "../../../src/report/console.js";
import { replay } from "./recorded-run.js";
import type { ReportEvent } from "../../../src/report/report-event.js";
import { toUnreachable } from "../../../src/transport/ssh-errors.js";
import { connectionLine } from "../../../src/report/connection-line.js";

const plain = new Chalk({ level: 0 });

function run(options: { check?: boolean; diff?: boolean; verbosity?: number; notableOnly?: boolean; color?: boolean }): string {
  let out = "";
  const color = options.color ? new Chalk({ level: 1 }) : plain;
  replay(consoleReporter({ write: (text) => (out += text), color, verbosity: options.verbosity ?? 0, check: options.check ?? false, diff: options.diff ?? false, notableOnly: options.notableOnly }));
  return out;
}

describe("console report", () => {
  it("prints Ansible's banners, status lines and recap", () => {
    const out = run({});
    expect(out).toContain("PLAY [Configure web] ***");
    expect(out).toContain("TASK [base : Install the motd] ***");
    expect(out).toContain("RUNNING HANDLER [reload nginx] ***");
    expect(out).toContain("changed: [web1]");
    expect(out).toContain("ok: [web2]");
    expect(out).toContain("fatal: [web2]: FAILED! => command failed (rc=1)");
    expect(out).toMatch(/web1 :\s+ok=1\s+changed=3\s+unreachable=0\s+failed=0\s+skipped=1/);
  });

  it("says what would run and what would be written in check mode, per host and task", () => {
    const out = run({ check: true });
    expect(out).toContain("changed: [web1]\n  would write /etc/motd (12 bytes, mode 0644)\n");
    expect(out).toContain("  would run: systemctl restart nginx\n");
    expect(out).not.toContain("would run: write");
  });

  it.each([
    ["write /etc/x (3 bytes)", true, "would write /etc/x (3 bytes)"],
    ["write /etc/x (3 bytes)", false, "wrote /etc/x (3 bytes)"],
    ["apt-get install -y nginx", true, "would run: apt-get install -y nginx"],
    ["apt-get install -y nginx", false, "ran: apt-get install -y nginx"],
  ])("step line for %j (check=%s)", (command, check, expected) => {
    expect(stepLine(command, check)).toBe(expected);
  });

  it("masks no_log tasks: no commands, no message, only a count", () => {
    const out = run({ check: true, verbosity: 3 });
    expect(out).not.toContain("hunter2");
    expect(out).toContain("(1 command hidden: no_log)");
  });

  it("shows unified diffs headed with host and path with --diff", () => {
    const out = run({ diff: true });
    expect(out).toContain("--- web1:/etc/motd (before)");
    expect(out).toContain("+++ web1:/etc/motd (after)");
    expect(out).toContain("-old line");
    expect(out).toContain("+Welcome <web1> & co");
  });

  it("colours diff lines on a terminal", () => {
    const out = run({ diff: true, color: true });
    expect(out).toContain("\u001b[32m+Welcome <web1> & co\u001b[39m");
    expect(out).toContain("\u001b[31m-old line\u001b[39m");
  });

  it("says why a host is unreachable in words", () => {
    expect(run({})).toContain("fatal: [web3]: UNREACHABLE! => web3 (root@10.0.0.3:22): connection refused");
  });

  it("adds timings at -vv", () => {
    expect(run({})).not.toContain("(2000 ms");
    expect(run({ verbosity: 2 })).toContain("(2000 ms, started 2026-11-22T12:00:00.600Z)");
  });

  it("prints only notable results in notableOnly mode, under late banners", () => {
    const out = run({ notableOnly: true, check: true });
    expect(out).not.toContain("ok: [web1]");
    expect(out).not.toContain("TASK [Gathering Facts]\n\nTASK");
    expect(out).not.toContain("RUNNING HANDLER");
    expect(out).toContain("PLAY [Configure web]");
    expect(out).toContain("TASK [Gathering Facts] ***");
    expect(out).toContain("fatal: [web3]: UNREACHABLE!");
    expect(out).toContain("fatal: [web2]: FAILED!");
    expect(out.match(/PLAY \[Configure web\]/g)).toHaveLength(1);
    expect(out).toContain("PLAY RECAP");
  });
});

describe("unreachable hosts say why in words", () => {
  const fatalLine = (msg: string): string => {
    let out = "";
    const report = consoleReporter({ write: (text) => (out += text), color: plain, verbosity: 0, check: false, diff: false });
    const task = { play: "p", name: "Gathering Facts", module: "setup", isHandler: false, noLog: false };
    const event: ReportEvent = { type: "task-result", task, result: { host: "web1", status: "unreachable", startedAt: 0, durationMs: 1, msg, error: { message: msg } } };
    report(event);
    return out;
  };
  it.each([
    [Object.assign(new Error("connect ECONNREFUSED 10.0.0.1:22"), { code: "ECONNREFUSED" }), "connection refused (is sshd running"],
    [Object.assign(new Error("Timed out while waiting for handshake"), { level: "client-timeout" }), "timed out"],
    [Object.assign(new Error("All configured authentication methods failed"), { level: "client-authentication" }), "authentication failed (check the user, the key and the agent)"],
    [Object.assign(new Error("getaddrinfo ENOTFOUND web1.example"), { code: "ENOTFOUND" }), "the name does not resolve"],
  ])("%s", (cause, words) => {
    expect(fatalLine(toUnreachable("web1", "root@10.0.0.1:22", cause).message)).toContain(`fatal: [web1]: UNREACHABLE! => web1 (root@10.0.0.1:22): ${words}`);
  });

  it("indents the further lines of a message (a hint, command output) under the first", () => {
    expect(fatalLine("host key refused\nhint: run ssh-keyscan")).toBe("fatal: [web1]: UNREACHABLE! => host key refused\n    hint: run ssh-keyscan\n");
  });
});

describe("connection details at -vvv", () => {
  it.each([
    [{ host: "10.0.0.1", port: 22, user: "root", connection: "ssh", become: false }, "ssh root@10.0.0.1:22"],
    [
      { host: "10.0.0.2", port: 2222, user: "deploy", connection: "ssh", become: true, privateKeyFile: "/k/id", proxyJump: "bastion:22", password: "s3cret" },
      "ssh deploy@10.0.0.2:2222, via bastion:22, key /k/id, password auth, become root",
    ],
    [{ host: "x", port: 22, connection: "local", become: false }, "local connection (this machine)"],
  ] as const)("%j", (settings, expected) => {
    const line = connectionLine(settings);
    expect(line).toBe(expected);
    expect(line).not.toContain("s3cret");
  });

  it("lists each play host's connection under the play banner only at -vvv", () => {
    const run = (verbosity: number): string => {
      let out = "";
      replay(consoleReporter({ write: (text) => (out += text), color: plain, verbosity, check: false, diff: false, describeConnection: (host) => `ssh root@${host}:22` }));
      return out;
    };
    expect(run(3)).toContain("PLAY [Configure web] ***");
    expect(run(3)).toContain("<web2> ssh root@web2:22\n");
    expect(run(2)).not.toContain("<web2>");
  });
});
