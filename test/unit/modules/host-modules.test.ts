import { describe, expect, it } from "vitest";
import { hostname } from "../../../src/modules/hostname.js";
import { modprobe } from "../../../src/modules/modprobe.js";
import { reboot } from "../../../src/modules/reboot.js";
import { waitForConnection } from "../../../src/modules/wait-for-connection.js";
import { debianFacts, fakeContext, ok, planWith, present, rc, runGolden } from "./helpers.js";

const noSystemd = { facts: { ...debianFacts, serviceManager: "sysvinit" as const } };

describe("hostname", () => {
  it("systemd: sets the static name, then the transient one, only where they differ", () => {
    runGolden(hostname, { name: "both", args: { name: "web2" }, probes: [ok("web1\n"), ok("web1\n")], expect: { steps: [["hostnamectl", "--pretty", "--static", "set-hostname", "web2"], ["hostnamectl", "--transient", "set-hostname", "web2"]] } });
    runGolden(hostname, { name: "transient only", args: { name: "web2", use: "debian" }, probes: [ok("web2\n"), ok("localhost\n")], expect: { steps: [["hostnamectl", "--transient", "set-hostname", "web2"]] } });
    runGolden(hostname, { name: "as wanted", args: { name: "web2" }, probes: [ok("web2\n"), ok("web2\n")], expect: { steps: [] } });
  });

  it("without systemd: /etc/hostname only, compared without its newline", () => {
    runGolden(hostname, { name: "file", args: { name: "web2" }, context: noSystemd, probes: [present({ content: "web1\n" }), ok("web1\n")], expect: { steps: [{ put: "/etc/hostname", content: "web2\n", owner: "root", group: "root" }] } });
    runGolden(hostname, { name: "file same", args: { name: "web2" }, context: noSystemd, probes: [present({ content: "web2" }), ok("web2")], expect: { steps: [] } });
  });
});

describe("modprobe", () => {
  const snapshot = (files: Record<string, string>) => ok(Object.entries(files).map(([path, text]) => `\0==> ${path}\n${text}`).join(""));

  it("loads a module that is not loaded, with its params; a loaded one is ok", () => {
    runGolden(modprobe, { name: "load", args: { name: "dummy", params: "numdummies=2" }, probes: [ok("absent\n")], expect: { steps: [["modprobe", "--", "dummy", "numdummies=2"]] } });
    runGolden(modprobe, { name: "loaded", args: { name: "dummy" }, probes: [ok("loaded\n")], expect: { steps: [] } });
    runGolden(modprobe, { name: "unload", args: { name: "dummy", state: "absent" }, probes: [ok("builtin\n")], expect: { steps: [["modprobe", "-r", "--", "dummy"]] } });
  });

  it("persistent present writes the boot and options files; absent comments their lines out", () => {
    runGolden(modprobe, {
      name: "persist",
      args: { name: "br_netfilter", persistent: "present", params: "a=1" },
      probes: [ok("loaded\n"), snapshot({ "/etc/modprobe.d/old.conf": "options br_netfilter a=0\n" })],
      expect: { steps: [{ put: "/etc/modules-load.d/br_netfilter.conf", content: "br_netfilter\n" }, { put: "/etc/modprobe.d/old.conf", content: "#options br_netfilter a=0\n" }, { put: "/etc/modprobe.d/br_netfilter.conf", content: "options br_netfilter a=1\n" }] },
    });
    runGolden(modprobe, {
      name: "unpersist",
      args: { name: "br_netfilter", persistent: "absent" },
      probes: [ok("loaded\n"), snapshot({ "/etc/modules-load.d/k8s.conf": "overlay\nbr_netfilter\n" })],
      expect: { steps: [{ put: "/etc/modules-load.d/k8s.conf", content: "overlay\n#br_netfilter\n" }] },
    });
  });

  it("a kernel without module support cannot answer", () => {
    runGolden(modprobe, { name: "no /proc/modules", args: { name: "dummy" }, probes: [rc(2, "", "cannot read /proc/modules")], expect: { failed: /cannot read \/proc\/modules/ } });
  });
});

describe("reboot", () => {
  /** The names of the facts a call reads from the host. */
  const factsOf = (args: unknown, check = false): string[] =>
    Object.entries(reboot.facts?.(reboot.schema.parse(args), { ...fakeContext(), check }) ?? {}).flatMap(([name, fact]) => (fact === undefined ? [] : [name]));
  /** The plan's one reconnect step, planned from a boot id and the found shutdown path. */
  const stepOf = (args: unknown, probes = [ok("b1\n"), ok("/sbin/shutdown\n")], context = fakeContext()) => {
    const plan = planWith(reboot, reboot.schema.parse(args), { probes }, context);
    const step = plan.kind === "change" ? plan.steps[0] : undefined;
    if (step?.kind !== "reconnect") throw new Error(`expected a reconnect step, got ${JSON.stringify(plan)}`);
    return { plan, step };
  };

  it("reboots with shutdown -r found in search_paths, then waits for another boot id and test_command", () => {
    const { plan, step } = stepOf({});
    expect(step).toMatchObject({
      trigger: ["/sbin/shutdown", "-r", "0", "Reboot initiated by Ansible"],
      delaySeconds: 0,
      timeoutSeconds: 600,
      bootChange: { argv: ["sh", "-c", "cat /proc/sys/kernel/random/boot_id"], before: "b1" },
      test: { argv: ["sh", "-c", "whoami"] },
      pause: "backoff",
      renewEachTry: false,
      triggeredKey: "rebooted",
    });
    expect(plan.data).toEqual({ rebooted: true });
  });

  it("gives shutdown pre_reboot_delay in whole minutes (under 60 s: now), as Ansible does on Linux; a negative delay is 0", () => {
    expect(stepOf({ pre_reboot_delay: 150, msg: "kernel $update" }).step.trigger).toEqual(["/sbin/shutdown", "-r", "2", "kernel $update"]);
    expect(stepOf({ pre_reboot_delay: 59 }).step.trigger?.[2]).toBe("0");
    expect(stepOf({ pre_reboot_delay: "-5", post_reboot_delay: -1 }).step).toMatchObject({ delaySeconds: 0, trigger: ["/sbin/shutdown", "-r", "0", "Reboot initiated by Ansible"] });
    expect(stepOf({ post_reboot_delay: "30", reboot_timeout: "90", connect_timeout: 5 }).step).toMatchObject({ delaySeconds: 30, timeoutSeconds: 90, connectTimeoutSeconds: 5 });
  });

  it("reboot_command: its first word is looked for in search_paths unless absolute, the rest are its shell words", () => {
    expect(stepOf({ reboot_command: "systemctl reboot --force" }, [ok("b1\n"), ok("/usr/bin/systemctl\n")]).step.trigger).toEqual(["sh", "-c", 'exec "$1" reboot --force', "sh", "/usr/bin/systemctl"]);
    expect(stepOf({ reboot_command: "/usr/local/bin/my-reboot" }, [ok("b1\n")]).step.trigger).toEqual(["/usr/local/bin/my-reboot"]);
    expect(factsOf({ reboot_command: "/usr/local/bin/my-reboot" })).toEqual(["bootId"]);
    const search = reboot.facts?.(reboot.schema.parse({ search_paths: "/opt/a,/opt/b" }), fakeContext()).commandPath;
    expect(search?.argv.slice(4)).toEqual(["shutdown", "/opt/a", "/opt/b"]);
  });

  it("fails as Ansible does when no search path has the command, and when the boot id cannot be read", () => {
    const missing = planWith(reboot, reboot.schema.parse({ search_paths: ["/nowhere"] }), { probes: [ok("b1\n"), rc(1)] }, fakeContext());
    expect(missing.kind === "fail" ? missing.error : "").toBe(`Unable to find command "shutdown" in search paths: ['/nowhere']`);
    const unreadable = planWith(reboot, reboot.schema.parse({}), { probes: [rc(1, "", "no such file"), ok("/sbin/shutdown\n")] }, fakeContext());
    expect(unreadable.kind === "fail" ? unreadable.error : "").toMatch(/failed to get host boot time info, rc: 1/);
  });

  it("Alpine (by the gathered facts) reboots with `reboot`, without arguments", () => {
    const alpine = fakeContext({ facts: { ...debianFacts, os: { family: "Alpine", distribution: "Alpine", version: "3.19", majorVersion: "3" } } });
    expect(stepOf({}, [ok("b1\n"), ok("/sbin/reboot\n")], alpine).step.trigger).toEqual(["/sbin/reboot"]);
  });

  it("refuses a local connection in every mode, reading nothing, as Ansible does", () => {
    for (const check of [false, true]) {
      const local = { ...fakeContext({ vars: { ansible_connection: "local" } }), check };
      expect(Object.values(reboot.facts?.(reboot.schema.parse({}), local) ?? {}).filter(Boolean)).toEqual([]);
      const plan = planWith(reboot, reboot.schema.parse({}), { probes: [] }, local);
      expect(plan.kind === "fail" ? plan.error : "").toBe("Running reboot with local connection would reboot the control node.");
    }
  });

  it("check mode reads nothing and reports the reboot as changed, rebooted, elapsed 0", () => {
    expect(factsOf({}, true)).toEqual([]);
    const plan = planWith(reboot, reboot.schema.parse({}), { probes: [] }, { ...fakeContext(), check: true });
    expect(plan.kind).toBe("change");
    expect(plan.data).toEqual({ rebooted: true, elapsed: 0 });
  });
});

describe("wait_for_connection", () => {
  it("tries `true` over a new connection every `sleep` seconds after `delay`, until `timeout`; skipped in check mode", () => {
    const plan = planWith(waitForConnection, waitForConnection.schema.parse({ delay: 5, sleep: "2", timeout: 60 }), {}, fakeContext());
    expect(plan.kind).toBe("ok");
    expect(plan.kind === "ok" ? plan.steps : []).toEqual([
      expect.objectContaining({ kind: "reconnect", delaySeconds: 5, timeoutSeconds: 60, connectTimeoutSeconds: 5, test: { argv: ["true"], what: "ping module test" }, pause: { seconds: 2 }, renewEachTry: true }),
    ]);
    expect(planWith(waitForConnection, waitForConnection.schema.parse({}), {}, { ...fakeContext(), check: true }).kind).toBe("skip");
    expect(waitForConnection.schema.safeParse({ timeout: 0 }).success).toBe(false);
  });
});
