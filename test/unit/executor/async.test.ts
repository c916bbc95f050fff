import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseStatus } from "../../../src/modules/support/async-jobs.js";
import { runFixture } from "./helpers.js";

describe("async and poll", () => {
  it("poll: 0 leaves a job running on the host; async_status waits for it and reads its output", async () => {
    const home = process.env["HOME"];
    const run = await runFixture("async.yaml");
    for (const host of ["h1", "h2"]) {
      expect(run.results("start").get(host)?.status).toBe("changed");
      const waited = run.results("wait").get(host);
      expect(waited?.status).toBe("changed");
      expect(readFileSync(join(run.root, `${host}.done`), "utf8")).toBe(`${host}\n`);
      expect(run.results("polled").get(host)?.status).toBe("changed");
      const slow = run.results("too slow").get(host);
      expect(slow?.status).toBe("failed");
      expect(slow?.msg).toBe("The command action failed to execute in the expected time frame (1) and was terminated");
    }
    expect(home === undefined || existsSync(join(home, ".ansible_async"))).toBe(true);
  });

  it("refuses async in check mode, in Ansible's words", async () => {
    const run = await runFixture("async.yaml", { check: true });
    expect(run.results("start").get("h1")?.msg).toBe("check mode and async cannot be used on same task.");
  });
});

describe("async job files", () => {
  const separator = "__runbook_async_job__\n";
  const part = (content?: string): string => `${separator}${content === undefined ? "\n" : `y\n${content}\n`}`;

  it("reads a job that is absent, running, finished or failed", () => {
    expect(parseStatus({ rc: 3, stdout: "/root/.ansible_async/j1.2\n", stderr: "" })).toEqual({ kind: "absent", resultsFile: "/root/.ansible_async/j1.2" });
    const meta = JSON.stringify({ changed: true, commands: ["echo hi"], limitSeconds: 30 });
    const running = `/h/j\n${part(meta)}${part()}${part()}${part()}${part("")}${part("")}`;
    expect(parseStatus({ rc: 0, stdout: running, stderr: "" })).toMatchObject({ kind: "running" });
    const finished = `/h/j\n${part(meta)}${part("0\n")}${part()}${part()}${part("hi\n")}${part("")}`;
    expect(parseStatus({ rc: 0, stdout: finished, stderr: "" })).toMatchObject({ kind: "finished", rc: 0, stdout: "hi\n", stderr: "", failedStep: undefined, timedOut: false });
    const failed = `/h/j\n${part(meta)}${part("3\n")}${part("0\n")}${part()}${part("no final newline")}${part("oops\n")}`;
    expect(parseStatus({ rc: 0, stdout: failed, stderr: "" })).toMatchObject({ kind: "finished", rc: 3, failedStep: 0, stdout: "no final newline", stderr: "oops\n" });
  });
});
