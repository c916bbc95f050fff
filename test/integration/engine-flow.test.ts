/** Control flow over real SSH: serial batches, loop + register, block/rescue/always, until, delegate_to, and check mode. */
import { describe, expect, inject, it } from "vitest";
import { isLabReady } from "./setup/lab.js";
import { hostSh, hostsSh, runPlaybookJson, statusByHost } from "./helpers/engine.js";

const lab = inject("lab");
const HOSTS = ["h8", "h9", "h10"];
const LIMIT = ["--limit", HOSTS.join(",")];

describe.skipIf(!isLabReady(lab))("control flow over ssh", () => {
  if (!isLabReady(lab)) return;

  it("runs loops, rescues a failure, retries until, delegates; in batches of 2", async () => {
    await hostsSh(lab, [...HOSTS, "h12"], "rm -rf /opt/itflow /opt/itflow-from-*");
    const run = await runPlaybookJson(lab, "flow.yaml", LIMIT);
    expect(run.code, run.stderr).toBe(0);
    for (const host of HOSTS) expect(run.report.hosts[host], host).toMatchObject({ failed: 0, rescued: 1 });
    expect(statusByHost(run.report, "never reached")).toEqual({});
    expect(await hostsSh(lab, HOSTS, "cd /opt/itflow && cat a b c loop-result rescued always n")).toEqual(
      // "3 True": a boolean printed by Jinja2 reads as Python's, as in Ansible
      HOSTS.map(() => "a\nb\nc\n3 True\nbreaks: 1\nalways\n3\n"),
    );
    expect(await hostSh(lab, "h12", "cat /opt/itflow-from-h8 /opt/itflow-from-h9 /opt/itflow-from-h10")).toBe("from h8\nfrom h9\nfrom h10\n");
    // serial: 2 -> h8 and h9 finish the play before h10 starts it: results are reported as they
    // come, so every h8/h9 result precedes h10's first one
    const hosts = run.report.tasks.map((task) => task.host);
    const firstOfH10 = hosts.indexOf("h10");
    expect(firstOfH10).toBeGreaterThan(0);
    expect(Math.max(hosts.lastIndexOf("h8"), hosts.lastIndexOf("h9"))).toBeLessThan(firstOfH10);
  });

  it("check mode plans the same play without retrying or failing, and changes nothing", async () => {
    await hostsSh(lab, HOSTS, "rm -f /opt/itflow/n");
    const run = await runPlaybookJson(lab, "flow.yaml", [...LIMIT, "--check"]);
    expect(run.code, run.stderr).toBe(0);
    expect(statusByHost(run.report, "count to three")).toEqual({ h8: "changed", h9: "changed", h10: "changed" });
    expect(await hostsSh(lab, HOSTS, "test -e /opt/itflow/n && echo present || echo absent")).toEqual(HOSTS.map(() => "absent\n"));
  });
});
