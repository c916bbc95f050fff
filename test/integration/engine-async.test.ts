/**
 * async with poll 0 on lab hosts over SSH: the job keeps running on the host after the SSH
 * command that started it has returned (setsid), and async_status finds it (as root and as a
 * sudo'd user) and reads its output once finished.
 */
import { beforeAll, describe, expect, inject, it } from "vitest";
import { isLabReady } from "./setup/lab.js";
import { hostsSh, runPlaybookJson, statusByHost } from "./helpers/engine.js";

const lab = inject("lab");
const HOSTS = ["h1", "h2"];

describe.skipIf(!isLabReady(lab))("async jobs over ssh", () => {
  if (!isLabReady(lab)) return;

  beforeAll(async () => {
    await hostsSh(lab, HOSTS, "rm -f /tmp/itasync.out /tmp/itasync.record; id itasync >/dev/null 2>&1 || useradd -m itasync");
  });

  it("starts the job, goes on while it runs, and async_status reads its result", async () => {
    const run = await runPlaybookJson(lab, "async.yaml", ["--limit", HOSTS.join(",")]);
    expect(run.code, run.stderr).toBe(0);
    expect(statusByHost(run.report, "start")).toEqual({ h1: "changed", h2: "changed" });
    expect(statusByHost(run.report, "wait")).toEqual({ h1: "changed", h2: "changed" });
    const records = await hostsSh(lab, HOSTS, "cat /tmp/itasync.record; echo; cat /tmp/itasync.out");
    for (const [index, text] of records.entries()) {
      const [record, written] = text.split("\n");
      const [running, stdout, finished, user, resultsFile] = JSON.parse(record ?? "[]") as unknown[];
      expect([running, stdout, finished, user]).toEqual(["running", "done", 1, "itasync"]);
      expect(resultsFile).toMatch(/^\/root\/\.ansible_async\/j\d+\.\d+$/);
      expect(written).toBe(HOSTS[index]);
    }
  });
});
