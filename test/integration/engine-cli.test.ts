/**
 * The CLI as a user meets it, against real hosts: --check --diff, --json's one document,
 * --list-hosts/--list-tasks/--syntax-check, exit codes for bad input (as Ansible's), and a
 * 10 MB file copied with owner and mode.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import { z } from "zod";
import { isLabReady } from "./setup/lab.js";
import { fixture, hostSh, runCli, runPlaybookJson, statusByHost } from "./helpers/engine.js";

const lab = inject("lab");

/** The documented --json shape (src/report/json.ts), strictly: no other keys. */
const counters = z.strictObject({
  ok: z.number().int(), changed: z.number().int(), failed: z.number().int(), skipped: z.number().int(),
  unreachable: z.number().int(), rescued: z.number().int(), ignored: z.number().int(),
});
const jsonReport = z.strictObject({
  exitCode: z.number().int(),
  interrupted: z.boolean(),
  hosts: z.record(z.string(), counters),
  tasks: z.array(
    z.strictObject({
      host: z.string(), play: z.string(), role: z.string().nullable(), task: z.string(), module: z.string(),
      status: z.enum(["ok", "changed", "failed", "skipped", "unreachable"]),
      startedAt: z.number(), durationMs: z.number(),
      msg: z.string().optional(),
      commands: z.array(z.string()).optional(),
      diff: z.array(z.object({ path: z.string(), before: z.string().optional(), after: z.string().optional() })).optional(),
      ignored: z.boolean().optional(),
    }),
  ),
});

describe.skipIf(!isLabReady(lab))("the CLI against real hosts", () => {
  if (!isLabReady(lab)) return;
  const inventory = ["-i", lab.inventoryFile];

  it("--json: stdout is exactly one JSON document of the documented shape, the human report is on stderr", async () => {
    const result = await runCli([fixture("forks.yaml"), ...inventory, "--limit", "h1,h2", "--json"]);
    expect(result.code, result.stderr).toBe(0);
    const report = jsonReport.parse(JSON.parse(result.stdout));
    expect(result.stdout.trim().startsWith("{")).toBe(true);
    expect(Object.keys(report.hosts).sort()).toEqual(["h1", "h2"]);
    expect(report.tasks.map((task) => [task.host, task.task, task.status]).sort()).toEqual([
      ["h1", "hold a fork", "changed"],
      ["h2", "hold a fork", "changed"],
    ]);
    expect(result.stderr).toMatch(/PLAY RECAP/);
    expect(result.stderr).toMatch(/TASK \[hold a fork\]/);
  });

  it("--check --diff shows a unified diff naming host and path, and changes nothing", async () => {
    await hostSh(lab, "h2", "printf 'a\\nb\\n' > /opt/itdiff.conf");
    const run = await runPlaybookJson(lab, "diff.yaml", ["--limit", "h2", "--check", "--diff", "-e", JSON.stringify({ text: "a\nc\n" })]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain("--- h2:/opt/itdiff.conf (before)\n+++ h2:/opt/itdiff.conf (after)\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n");
    expect(run.stderr).toMatch(/would write \/opt\/itdiff\.conf/);
    expect(run.report.tasks[0]?.diff).toEqual([{ path: "/opt/itdiff.conf", before: "a\nb\n", after: "a\nc\n" }]);
    expect(statusByHost(run.report, "config file")).toEqual({ h2: "changed" });
    expect(await hostSh(lab, "h2", "cat /opt/itdiff.conf")).toBe("a\nb\n");
  });

  it("--list-hosts prints each play's hosts after --limit, and connects to none", async () => {
    const result = await runCli([fixture("forks.yaml"), ...inventory, "--list-hosts", "--limit", "h1*"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("hosts (4):\n      h1\n      h10\n      h11\n      h12\n");
  });

  it("--list-tasks prints the tasks a run would run with these --tags", async () => {
    const result = await runCli([fixture("select.yaml"), ...inventory, "--list-tasks", "--tags", "web"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("play: Selection\n    tasks:\n      directory\tTAGS: [always]\n      web task\tTAGS: [web]\n");
    expect(result.stdout).not.toContain("db task");
  });

  it.each([
    ["--syntax-check on a good playbook", 0, ["select.yaml", "--syntax-check"]],
    ["--syntax-check on an unknown module", 4, ["unknown-module.yaml", "--syntax-check"]],
    ["a run with an unknown module", 4, ["unknown-module.yaml"]],
    // ansible-playbook's codes for the same mistakes (test/fixtures/ansible-exit-codes.json)
    ["--forks 0", 2, ["forks.yaml", "--forks", "0"]],
    ["an unknown option", 2, ["forks.yaml", "--frks", "3"]],
    ["a missing inventory", 1, ["forks.yaml", "-i", "/nonexistent/inventory.yaml"]],
  ])("%s exits %i", async (_what, code, [playbook, ...args]) => {
    const result = await runCli([fixture(playbook!), ...inventory, ...args]);
    expect(result.code, result.stderr).toBe(code);
    expect(result.stderr).not.toMatch(/^\s+at /m); // no stack trace
  });

  it("an unknown module: file:line:col, a code frame and a hint, no stack trace, nothing run", async () => {
    const result = await runCli([fixture("unknown-module.yaml"), ...inventory, "--json"]);
    expect(result.code).toBe(4);
    // --json still ends with one document: the error, located, and no task run
    expect(JSON.parse(result.stdout)).toMatchObject({
      exitCode: 4,
      error: { message: "unknown module 'lineinfle'", location: { line: 7, column: 7 }, hint: "did you mean 'lineinfile'?" },
      tasks: [],
    });
    expect(result.stderr).toContain("unknown module 'lineinfle'");
    expect(result.stderr).toMatch(/--> \S*unknown-module\.yaml:7:7\n/);
    expect(result.stderr).toContain("> 7 |       lineinfle: { path: /tmp/x, line: y }\n      |       ^\n");
    expect(result.stderr).toContain("hint: did you mean 'lineinfile'?");
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });

  describe("a 10 MB file", () => {
    const dir = mkdtempSync(join(tmpdir(), "runbook-itbig-"));
    const big = join(dir, "big.bin");
    const content = randomBytes(10 * 1024 * 1024);
    writeFileSync(big, content);
    const sha = createHash("sha256").update(content).digest("hex");
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it("is copied with owner and mode, then left alone", async () => {
      await hostSh(lab, "h6", "rm -f /opt/itbig.bin");
      const first = await runPlaybookJson(lab, "bigfile.yaml", ["--limit", "h6", "-e", `big_src=${big}`]);
      expect(first.code, first.stderr).toBe(0);
      expect(statusByHost(first.report, "big copy")).toEqual({ h6: "changed" });
      expect(await hostSh(lab, "h6", "stat -c '%U:%G %a %s' /opt/itbig.bin; sha256sum /opt/itbig.bin | cut -c1-64")).toBe(
        `nobody:nogroup 640 ${content.length}\n${sha}\n`,
      );
      const second = await runPlaybookJson(lab, "bigfile.yaml", ["--limit", "h6", "-e", `big_src=${big}`]);
      expect(statusByHost(second.report, "big copy")).toEqual({ h6: "ok" });
    });
  });
});
