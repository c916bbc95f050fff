/** Handlers over real SSH: notified only on change, once, in definition order, at flush_handlers. */
import { beforeAll, describe, expect, inject, it } from "vitest";
import { isLabReady } from "./setup/lab.js";
import { hostsSh, runPlaybookJson, statusByHost } from "./helpers/engine.js";

const lab = inject("lab");
const HOSTS = ["h3", "h4"];
const LIMIT = ["--limit", HOSTS.join(",")];
const LOG = "cat /opt/ithandlers/log";

describe.skipIf(!isLabReady(lab))("handlers over ssh", () => {
  if (!isLabReady(lab)) return;

  beforeAll(async () => {
    await hostsSh(lab, HOSTS, "rm -rf /opt/ithandlers");
  });

  it("run once each, in definition order, at flush_handlers, when a task changed", async () => {
    const run = await runPlaybookJson(lab, "handlers.yaml", [...LIMIT, "-e", "content_a=one"]);
    expect(run.code, run.stderr).toBe(0);
    expect(await hostsSh(lab, HOSTS, LOG)).toEqual(["first\nsecond\nafter\n", "first\nsecond\nafter\n"]);
    for (const host of HOSTS) {
      const order = run.report.tasks.filter((task) => task.host === host).map((task) => task.task);
      expect(order.filter((name) => ["first", "second", "never"].includes(name))).toEqual(["first", "second"]);
      expect(order.indexOf("second")).toBeLessThan(order.indexOf("after flush"));
    }
    expect(statusByHost(run.report, "never")).toEqual({});
  });

  it("do not run when nothing notifying them changed", async () => {
    const run = await runPlaybookJson(lab, "handlers.yaml", [...LIMIT, "-e", "content_a=one"]);
    expect(run.code, run.stderr).toBe(0);
    expect(statusByHost(run.report, "first")).toEqual({});
    expect(statusByHost(run.report, "second")).toEqual({});
    expect(await hostsSh(lab, HOSTS, LOG)).toEqual(["first\nsecond\nafter\nafter\n", "first\nsecond\nafter\nafter\n"]);
  });

  it("run only on the hosts whose task changed", async () => {
    // only h3 gets new content for a: only h3 runs `first` and `second`
    const run = await runPlaybookJson(lab, "handlers.yaml", [...LIMIT, "-e", "content_a=one", "-e", "bump_host=h3"]);
    expect(run.code, run.stderr).toBe(0);
    expect(statusByHost(run.report, "change a")).toEqual({ h3: "changed", h4: "ok" });
    expect(statusByHost(run.report, "second")).toEqual({ h3: "changed" });
  });
});
