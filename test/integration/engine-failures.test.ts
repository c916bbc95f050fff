/**
 * Failed and unreachable hosts over real SSH, through the CLI: the other hosts finish the play,
 * the exit code says what went wrong (2 failed, 3 unreachable), the JSON report says who.
 */
import { afterAll, describe, expect, inject, it } from "vitest";
import { labExec } from "../../src/lab/index.js";
import { labSsh } from "./lab-helpers.js";
import { isLabReady } from "./setup/lab.js";
import { hostSh, hostsSh, runPlaybookJson, statusByHost } from "./helpers/engine.js";

const lab = inject("lab");

async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe.skipIf(!isLabReady(lab))("failed and unreachable hosts", () => {
  if (!isLabReady(lab)) return;

  it("a failed task stops that host only; exit code 2", async () => {
    const run = await runPlaybookJson(lab, "failures.yaml", ["--limit", "h7:h8:h9"]);
    expect(run.code).toBe(2);
    expect(statusByHost(run.report, "fails on h8")).toEqual({ h7: "changed", h8: "failed", h9: "changed" });
    expect(statusByHost(run.report, "after")).toEqual({ h7: "changed", h9: "changed" });
    expect(run.report.hosts["h8"]).toMatchObject({ failed: 1, unreachable: 0 });
    expect(run.report.exitCode).toBe(2);
    expect(run.stderr).toMatch(/fatal: \[h8\]/);
  });

  it("a host nobody listens for is unreachable from the start; exit code 3", async () => {
    const run = await runPlaybookJson(lab, "failures.yaml", ["--limit", "h7", "-e", "ansible_port=2999"]);
    expect(run.code).toBe(3);
    expect(statusByHost(run.report, "before")).toEqual({ h7: "unreachable" });
    expect(run.report.tasks).toHaveLength(1);
    expect(run.report.tasks[0]?.msg).toMatch(/connection refused/);
  });

  describe("a host whose sshd dies mid-play", () => {
    const HOSTS = ["h9", "h10", "h11", "h12"];
    const VICTIM = "h10";

    afterAll(async () => {
      // let the orphaned wait loop end and bring the host's sshd back for the files after this one
      await hostSh(lab, VICTIM, "mkdir -p /opt/itunreach && touch /opt/itunreach/go");
      await labExec(lab.name, VICTIM, ["/usr/sbin/sshd", "-E", "/var/log/sshd.log"]);
      const address = lab.hosts.find((host) => host.name === VICTIM)!.address;
      await waitUntil(`${VICTIM} answers ssh again`, async () => (await labSsh(lab, address, "true")).rc === 0);
    });

    it("is reported unreachable, the others finish; exit code 3", async () => {
      await hostsSh(lab, HOSTS, "rm -rf /opt/itunreach");
      const running = runPlaybookJson(lab, "unreachable.yaml", ["--limit", HOSTS.join(",")]);
      // every host is inside `wait for go` (its poll loop runs on the host) before the kill
      await waitUntil("all hosts wait", async () => {
        const found = await Promise.all(HOSTS.map((host) => labExec(lab.name, host, ["pgrep", "-f", "/opt/itunreach/go"])));
        return found.every((result) => result.rc === 0);
      });
      expect((await labExec(lab.name, VICTIM, ["pkill", "-x", "sshd"])).rc).toBe(0);
      await hostsSh(lab, HOSTS.filter((host) => host !== VICTIM), "touch /opt/itunreach/go");
      const run = await running;

      expect(run.code, run.stderr).toBe(3);
      expect(run.report.exitCode).toBe(3);
      expect(statusByHost(run.report, "wait for go")).toEqual({ h9: "ok", h10: "unreachable", h11: "ok", h12: "ok" });
      expect(statusByHost(run.report, "after")).toEqual({ h9: "changed", h11: "changed", h12: "changed" });
      expect(run.report.hosts[VICTIM]).toMatchObject({ unreachable: 1, failed: 0 });
      expect(run.stderr).toMatch(/UNREACHABLE/);
    });
  });
});
