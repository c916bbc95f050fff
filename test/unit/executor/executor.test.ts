import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runFixture } from "./helpers.js";

const statuses = (map: Map<string, { status: string }>): Record<string, string> =>
  Object.fromEntries([...map].map(([host, result]) => [host, result.status]));

describe("executor on local hosts", () => {
  it("runs linear: every host finishes a task before the next starts; a rerun changes nothing", async () => {
    const first = await runFixture("linear.yaml");
    expect(first.summary.exitCode).toBe(0);
    const order = first.order();
    const lastOfFirstTask = Math.max(...["h1", "h2", "h3"].map((h) => order.indexOf(`make dir@${h}`)));
    const firstOfSecondTask = Math.min(...["h1", "h2", "h3"].map((h) => order.indexOf(`write file@${h}`)));
    expect(lastOfFirstTask).toBeLessThan(firstOfSecondTask);
    expect(statuses(first.results("only on h2"))).toEqual({ h1: "skipped", h2: "changed", h3: "skipped" });
    expect(readFileSync(join(first.root, "h3/a.txt"), "utf8")).toBe("hello h3\n");

    const second = await runFixture("linear.yaml", {}, first.root);
    expect(second.summary.exitCode).toBe(0);
    // Only the `command` task (which always reports changed) runs again, and only on h2.
    expect(Object.fromEntries([...second.summary.stats].map(([host, stats]) => [host, stats.changed]))).toEqual({ h1: 0, h2: 1, h3: 0 });
    expect(second.results("first handler").size).toBe(0);
  });

  it("runs handlers once, at the end, in definition order, only where notified", async () => {
    const run = await runFixture("linear.yaml");
    const order = run.order();
    expect(order.indexOf("first handler@h1")).toBeGreaterThan(order.indexOf("only on h2@h3"));
    expect(order.indexOf("first handler@h1")).toBeLessThan(order.indexOf("second handler@h1"));
    expect(existsSync(join(run.root, "h1/first"))).toBe(true);
    expect(run.results("first handler").size).toBe(3);
  });

  it("a notified listen topic runs every handler listening to it, in order", async () => {
    const run = await runFixture("listen.yaml");
    expect(run.summary.exitCode).toBe(0);
    for (const name of ["stop", "clean", "start"]) expect(run.results(name).get("h1")?.status, name).toBe("changed");
    const order = run.order();
    expect(order.indexOf("stop@h1")).toBeLessThan(order.indexOf("clean@h1"));
    expect(order.indexOf("clean@h1")).toBeLessThan(order.indexOf("start@h1"));
  });

  it("check mode plans and changes nothing", async () => {
    const run = await runFixture("linear.yaml", { check: true });
    expect(run.summary.exitCode).toBe(0);
    expect(statuses(run.results("make dir"))).toEqual({ h1: "changed", h2: "changed", h3: "changed" });
    expect(run.results("make dir").get("h1")?.commands?.length).toBeGreaterThan(0);
    expect(existsSync(join(run.root, "h1"))).toBe(false);
  });

  it("a failed host drops out while the others go on; rescue and always run; exit code 2", async () => {
    const run = await runFixture("failures.yaml");
    expect(run.summary.exitCode).toBe(2);
    expect(statuses(run.results("fail on h2"))).toEqual({ h1: "skipped", h2: "failed", h3: "skipped" });
    expect(run.results("after").has("h2")).toBe(false);
    expect(existsSync(join(run.root, "h1-after"))).toBe(true);
    const ignored = run.results("ignored failure").get("h1");
    expect(ignored?.status === "failed" && ignored.ignored).toBe(true);
    expect(existsSync(join(run.root, "h1-unreached"))).toBe(false);
    expect(existsSync(join(run.root, "h1-rescued"))).toBe(true);
    expect(existsSync(join(run.root, "h3-always"))).toBe(true);
    const stats = run.summary.stats;
    expect(stats.get("h2")?.failed).toBe(1);
    expect(stats.get("h1")).toMatchObject({ failed: 0, rescued: 1, ignored: 1 });
  });

  it("a failed command is changed as well as failed, as in Ansible: registered so, and counted changed when ignored", async () => {
    const run = await runFixture("failed-results.yaml");
    expect(run.summary.exitCode).toBe(0);
    // ansible-playbook 2.14 on the same playbook: [true, true, true, false, true, false, true, true, false]
    expect(JSON.parse(readFileSync(join(run.root, "record"), "utf8"))).toEqual([true, true, true, false, true, false, true, true, false]);
    expect(run.results("failed_when false on a command that failed").get("h1")?.status).toBe("changed");
    // and its recap: ok=7 changed=5 (three ignored commands, failed_when false, the record) ignored=5
    expect(run.summary.stats.get("h1")).toMatchObject({ ok: 7, changed: 5, failed: 0, ignored: 5 });
  });

  it("an include whose loop does not render on one host fails that host only, as in Ansible", async () => {
    const run = await runFixture("include-fails-one-host.yaml");
    expect(run.summary.exitCode).toBe(2);
    for (const host of ["h1", "h3"]) {
      for (const file of ["a", "b", "role-a", "role-b", "after"]) expect(existsSync(join(run.root, `${host}-${file}`)), `${host}-${file}`).toBe(true);
    }
    expect(existsSync(join(run.root, "h2-after"))).toBe(false);
    expect(run.summary.stats.get("h2")?.failed).toBe(1);
  });

  it("loops, register, set_fact, failed_when, run_once and until", async () => {
    const run = await runFixture("features.yaml");
    expect(run.summary.exitCode).toBe(0);
    for (const item of ["alpha", "beta", "gamma"]) expect(existsSync(join(run.root, `h2-${item}`))).toBe(true);
    expect(readFileSync(join(run.root, "h1-greeting"), "utf8")).toBe("hi-h1\n");
    expect(readFileSync(join(run.root, "h2-marker"), "utf8")).toBe("m-h2\n");
    expect(statuses(run.results("failed_when turns rc 1 into ok"))).toEqual({ h1: "ok", h2: "ok" });
    expect(run.results("run once").size).toBe(1);
    expect(readFileSync(join(run.root, "h1-count"), "utf8")).toBe("3\n");
  });

  it("in check mode an until-task is tried once and not failed by its condition", async () => {
    const run = await runFixture("check-until.yaml", { check: true });
    expect(run.summary.exitCode).toBe(0);
    expect(run.results("wait for health").get("h1")?.status).toBe("ok");
  });

  it("a module's own skip is skipped, not judged by changed_when/failed_when; output ends as the module says", async () => {
    const run = await runFixture("module-skip.yaml");
    expect(run.results("results").get("h1")?.status).toBe("ok");
    expect(run.results("script skipped by creates").get("h1")?.status).toBe("skipped");
    expect(run.summary.stats.get("h1")).toMatchObject({ skipped: 2, failed: 0 });
  });

  it("selects by tags and skip-tags", async () => {
    const only = await runFixture("features.yaml", { tags: ["special"] });
    expect([...new Set(only.order().map((entry) => entry.split("@")[0]))]).toEqual(["tagged task"]);
    const skip = await runFixture("features.yaml", { skipTags: ["special"] });
    expect(skip.results("tagged task").size).toBe(0);
    expect(skip.results("write the fact").size).toBe(2);
  });

  it("limits hosts and starts at a task", async () => {
    const run = await runFixture("linear.yaml", { limit: "web:!h1", startAtTask: "only on h2" });
    expect(run.results("make dir").size).toBe(0);
    expect(run.results("write file").size).toBe(0);
    expect(statuses(run.results("only on h2"))).toEqual({ h2: "changed" });
  });

  it("set_fact in a loop sets its variable, the last item's value standing", async () => {
    const run = await runFixture("set-fact-loop.yaml");
    expect(run.summary.exitCode).toBe(0);
    expect(run.results("show").get("h1")?.msg).toBe("last=c");
  });
});

describe("check mode on local hosts", () => {
  it("plans each task against what the tasks before it would leave, and changes nothing", async () => {
    const first = await runFixture("check-predicts.yaml");
    expect(first.summary.exitCode).toBe(0);
    // The real run left li/settings in place on every host; check mode plans as if it ran again.
    const check = await runFixture("check-predicts.yaml", { check: true }, first.root);
    expect(check.summary.exitCode).toBe(0);
    for (const task of ["remove", "make again", "touch inside"]) expect(statuses(check.results(task)), task).toEqual({ h1: "changed", h2: "changed", h3: "changed" });
    expect(existsSync(join(first.root, "h1/li/settings"))).toBe(true);
    const command = check.results("a command").get("h1");
    expect(command?.status === "changed" && command.unknown).toBe(true);
    expect(command?.msg).toBe("would run (result unknown in check mode)");
    expect(check.results("registered as not run").get("h1")?.msg).toMatch(/^skipped in check mode/);
  });
});

describe("the check_mode keyword", () => {
  it("false runs a task for real in a --check run; true only plans it, also through a block", async () => {
    const check = await runFixture("check-mode-keyword.yaml", { check: true });
    expect(check.summary.exitCode).toBe(0);
    expect(existsSync(join(check.root, "h1-real"))).toBe(true);
    expect(existsSync(join(check.root, "h1-planned"))).toBe(false);
    const real = await runFixture("check-mode-keyword.yaml", {}, check.root);
    expect(statuses(real.results("always for real"))).toEqual({ h1: "ok", h2: "ok", h3: "ok" });
    expect(statuses(real.results("never for real"))).toEqual({ h1: "changed", h2: "changed", h3: "changed" });
    expect(existsSync(join(check.root, "h1-planned"))).toBe(false);
    expect(existsSync(join(check.root, "h1-block"))).toBe(false);
  });
});
