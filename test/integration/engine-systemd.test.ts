/**
 * service and package over real SSH on a systemd host whose apt reaches the Debian mirror
 * (its own small lab: `--init systemd --nat`, 1 host; the rootfs is built once and cached).
 * Each: run (changed), rerun (ok), check mode the other way (changed, host untouched), then do it.
 * Then service's daemon_reload (every time, as Ansible, and never a change), and service_facts in `when:`.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { labDown, labUnavailableReason, labUp, type LabInfo } from "../../src/lab/index.js";
import { testLabName, waitUntilBooted } from "./lab-helpers.js";
import { hostSh, runPlaybookJson, statusByHost, type EngineRun } from "./helpers/engine.js";
import { SYSTEMD_LAB_PACKAGES } from "./helpers/rootfs.js";

// named after this worktree, so several worktrees' suites do not share it
const LAB = testLabName("sd");
const STARTED = ["-e", "svc=started", "-e", "enabled=true", "-e", "want=present"];
const STOPPED = ["-e", "svc=stopped", "-e", "enabled=false", "-e", "want=absent"];
const STATE = "systemctl is-active itsleep; systemctl is-enabled itsleep; dpkg-query -W -f '${Status}\\n' hello 2>/dev/null || echo not-installed";

/** The commands the `service` task ran on h1. */
function serviceCommands(run: EngineRun): readonly string[] {
  return run.report.tasks.find((entry) => entry.task === "service" && entry.host === "h1")?.commands ?? [];
}

describe.skipIf(labUnavailableReason("systemd") !== undefined)("service and package on a systemd host", () => {
  let lab: LabInfo;

  beforeAll(async () => {
    lab = await labUp({ name: LAB, hosts: 1, init: "systemd", nat: true, packages: [...SYSTEMD_LAB_PACKAGES] });
    const state = await waitUntilBooted(LAB, "h1");
    if (state !== "running" && state !== "degraded") throw new Error(`h1 did not finish booting (${state})`);
  }, 900_000);
  afterAll(() => labDown(LAB));

  it("start + enable a unit and install a package; then nothing to do", async () => {
    const first = await runPlaybookJson(lab, "systemd.yaml", STARTED);
    expect(first.code, first.stderr).toBe(0);
    expect([statusByHost(first.report, "service"), statusByHost(first.report, "package")]).toEqual([{ h1: "changed" }, { h1: "changed" }]);
    expect(await hostSh(lab, "h1", STATE)).toBe("active\nenabled\ninstall ok installed\n");

    const second = await runPlaybookJson(lab, "systemd.yaml", STARTED);
    expect(second.code, second.stderr).toBe(0);
    expect(second.report.hosts["h1"]).toMatchObject({ changed: 0, failed: 0 });
  });

  it("check mode reports stopping and removing, and does neither", async () => {
    const check = await runPlaybookJson(lab, "systemd.yaml", [...STOPPED, "--check"]);
    expect(check.code, check.stderr).toBe(0);
    expect([statusByHost(check.report, "service"), statusByHost(check.report, "package")]).toEqual([{ h1: "changed" }, { h1: "changed" }]);
    expect(await hostSh(lab, "h1", STATE)).toBe("active\nenabled\ninstall ok installed\n");
  });

  it("stop + disable and remove; then nothing to do", async () => {
    const run = await runPlaybookJson(lab, "systemd.yaml", STOPPED);
    expect(run.code, run.stderr).toBe(0);
    expect(await hostSh(lab, "h1", STATE)).toMatch(/^inactive\ndisabled\n(deinstall ok config-files|not-installed|unknown ok not-installed)\n$/);
    const again = await runPlaybookJson(lab, "systemd.yaml", STOPPED);
    expect(again.report.hosts["h1"]).toMatchObject({ changed: 0, failed: 0 });
  });

  it("apt by its FQCN without facts: install with cache_valid_time, rerun ok, purge, rerun ok", async () => {
    const state = "dpkg-query -W -f '${Status}\\n' cowsay 2>/dev/null || echo not-installed";
    const installed = await runPlaybookJson(lab, "apt.yaml", ["-e", "want=present"]);
    expect(installed.code, installed.stderr).toBe(0);
    expect(statusByHost(installed.report, "apt")).toEqual({ h1: "changed" });
    expect(await hostSh(lab, "h1", state)).toBe("install ok installed\n");
    const again = await runPlaybookJson(lab, "apt.yaml", ["-e", "want=present"]);
    expect(statusByHost(again.report, "apt")).toEqual({ h1: "ok" });
    const purged = await runPlaybookJson(lab, "apt.yaml", ["-e", "want=absent"]);
    expect(statusByHost(purged.report, "apt")).toEqual({ h1: "changed" });
    // purged: not even its configuration is left
    expect(await hostSh(lab, "h1", state)).toMatch(/^(not-installed|unknown ok not-installed)\n$/);
    const gone = await runPlaybookJson(lab, "apt.yaml", ["-e", "want=absent"]);
    expect(statusByHost(gone.report, "apt")).toEqual({ h1: "ok" });
  });

  it("daemon_reload picks up an edited unit file, and reloads on a rerun without a change", async () => {
    const description = "systemctl show -p Description --value itreload; systemctl is-active itreload";
    const first = await runPlaybookJson(lab, "systemd-reload.yaml", ["-e", "desc=first"]);
    expect(first.code, first.stderr).toBe(0);
    // a unit systemd never saw is loaded from disk when asked about: no reload needed
    expect(await hostSh(lab, "h1", description)).toBe("first\nactive\n");

    const rerun = await runPlaybookJson(lab, "systemd-reload.yaml", ["-e", "desc=first"]);
    expect(rerun.report.hosts["h1"]).toMatchObject({ changed: 0, failed: 0 });
    // as Ansible: NeedDaemonReload=no is not trusted (systemd 252 misses drop-ins in a new .d directory)
    expect(serviceCommands(rerun).some((command) => command.includes("daemon-reload"))).toBe(true);

    const edited = await runPlaybookJson(lab, "systemd-reload.yaml", ["-e", "desc=second"]);
    expect(edited.code, edited.stderr).toBe(0);
    expect(statusByHost(edited.report, "unit file")).toEqual({ h1: "changed" });
    expect(serviceCommands(edited).some((command) => command.includes("daemon-reload"))).toBe(true);
    expect(await hostSh(lab, "h1", description)).toBe("second\nactive\n");
  });

  it("service_facts: services and ansible_facts.services answer in assert and when", async () => {
    const run = await runPlaybookJson(lab, "service-facts.yaml");
    expect(run.code, run.stderr).toBe(0);
    expect(run.report.hosts["h1"]).toMatchObject({ changed: 0, failed: 0 });
    expect(statusByHost(run.report, "what the host runs")).toEqual({ h1: "ok" });
    expect(statusByHost(run.report, "runs when ssh runs")).toEqual({ h1: "ok" });
    expect(statusByHost(run.report, "skipped for a unit that is not there")).toEqual({ h1: "skipped" });
  });

  it("systemd: masked stops and masks a unit, unmasked starts it again; reruns change nothing", async () => {
    const state = "systemctl is-enabled itmask; systemctl is-active itmask";
    const mask = await runPlaybookJson(lab, "systemd-mask.yaml", ["-e", "masked=true"]);
    expect(mask.code, mask.stderr).toBe(0);
    expect([statusByHost(mask.report, "reload alone"), statusByHost(mask.report, "mask")]).toEqual([{ h1: "ok" }, { h1: "changed" }]);
    expect(await hostSh(lab, "h1", `${state} || true`)).toBe("masked\ninactive\n");
    const again = await runPlaybookJson(lab, "systemd-mask.yaml", ["-e", "masked=true"]);
    expect(again.report.hosts["h1"]).toMatchObject({ changed: 0, failed: 0 });

    const unmask = await runPlaybookJson(lab, "systemd-mask.yaml", ["-e", "masked=false"]);
    expect(unmask.code, unmask.stderr).toBe(0);
    expect(await hostSh(lab, "h1", `${state} || true`)).toMatch(/^static\nactive\n$/);
  });
});
