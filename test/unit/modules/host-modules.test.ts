import { describe, expect, it } from "vitest";
import { hostname } from "../../../src/modules/hostname.js";
import { modprobe } from "../../../src/modules/modprobe.js";
import { reboot } from "../../../src/modules/reboot.js";
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
  const args = reboot.schema.parse({ reboot_timeout: 300, pre_reboot_delay: 5 });

  it("check mode: the detached reboot it would start", () => {
    const plan = planWith(reboot, args, { probes: [ok("b1\n")] }, { ...fakeContext(), check: true });
    expect(plan.kind).toBe("change");
    expect(plan.kind === "change" && plan.steps[0]?.kind === "run" ? plan.steps[0].argv.slice(3) : []).toEqual(["sh", "5", "Reboot initiated by Ansible"]);
    expect(plan.data).toMatchObject({ wait: { boot_id: "b1", reboot_timeout: 300, test_command: "whoami" } });
  });

  it("a real run refuses until the executor can wait for the host", () => {
    const plan = planWith(reboot, args, { probes: [ok("b1\n")] }, fakeContext());
    expect(plan.kind === "fail" ? plan.error : "").toMatch(/executor to reconnect/);
  });
});
