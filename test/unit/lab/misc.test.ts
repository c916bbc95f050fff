import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { describe, expect, it, vi } from "vitest";
import { OptionsError } from "../../../src/errors.js";
import { formatStatus, registerLabCommands } from "../../../src/lab/cli.js";
import { machineName } from "../../../src/lab/host-systemd.js";
import { acquireLock } from "../../../src/lab/lock.js";
import { checkStateRoot } from "../../../src/lab/preflight.js";
import { includeList, rootfsDir } from "../../../src/lab/rootfs.js";

describe("checkStateRoot", () => {
  it.each(["/var/lib/project/.runbook/lab", "/opt/x", "/etc", "/work/a,b/.runbook/lab", "/work/a:b", "/work/a b"])("rejects %s", (dir) => {
    expect(() => checkStateRoot(dir)).toThrow(OptionsError);
  });

  it.each(["/work/project/.runbook/lab", "/root/p/.runbook/lab", "/variant/lab"])("accepts %s", (dir) => {
    expect(() => checkStateRoot(dir)).not.toThrow();
  });
});

describe("names for systemd hosts and the rootfs cache", () => {
  it.each([
    ["web1", "web1"],
    ["web_1", "web-1"],
    [".odd", "odd"],
  ])("machine name of %s is %s", (host, machine) => {
    expect(machineName(host)).toBe(machine);
  });

  it("keys the rootfs cache by the extra package list, order-insensitively", () => {
    expect(rootfsDir("/s")).toBe("/s/rootfs/bookworm");
    expect(rootfsDir("/s", ["etcd-server", "docker.io"])).toBe(rootfsDir("/s", ["docker.io", "etcd-server"]));
    expect(rootfsDir("/s", ["docker.io"])).toMatch(/^\/s\/rootfs\/bookworm-[0-9a-f]{12}$/);
    expect(() => rootfsDir("/s", ["bad name"])).toThrow(/invalid Debian package name/);
    expect(includeList(["etcd-server", "docker.io"])).toBe(includeList(["docker.io", "etcd-server"]));
    expect(includeList(["sudo", "zsh"]).split(",").filter((p) => p === "sudo")).toHaveLength(1);
  });
});

describe("acquireLock", () => {
  it("lets one holder in at a time and breaks a dead holder's lock", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "lab-lock-")), "x.lock");
    const release = await acquireLock(dir, "test", 1000);
    await expect(acquireLock(dir, "test", 300)).rejects.toThrow(/timed out waiting for test/);
    release();
    expect(existsSync(dir)).toBe(false);
    const again = await acquireLock(dir, "test", 1000);
    again();
  });
});

describe("lab CLI", () => {
  it("registers up, down, status, ssh and exec", () => {
    const program = new Command();
    const lab = registerLabCommands(program);
    expect(lab.commands.map((command) => command.name())).toEqual(["up", "down", "status", "ssh", "exec"]);
  });

  it("prints status as a table", () => {
    const text = formatStatus({
      name: "default",
      exists: true,
      subnet: "10.88.0.0/24",
      init: "light",
      hosts: [
        { name: "h1", address: "10.88.0.11", pid: 42, running: true, sshd: true },
        { name: "web-long", address: "10.88.0.12", pid: 43, running: false, sshd: false },
      ],
    });
    expect(text).toBe(
      [
        "lab default (light, 10.88.0.0/24)",
        "HOST      ADDRESS     PID  SSHD",
        "h1        10.88.0.11  42   up",
        "web-long  10.88.0.12  -    down",
        "",
      ].join("\n"),
    );
    expect(formatStatus({ name: "x", exists: false, hosts: [] })).toBe("lab x is not up\n");
  });
});

describe("preflight errors", () => {
  it("asks for root", async () => {
    const { requireRoot } = await import("../../../src/lab/preflight.js");
    const spy = vi.spyOn(process as { getuid: () => number }, "getuid").mockReturnValue(1000);
    try {
      expect(() => requireRoot()).toThrow(OptionsError);
      expect(() => requireRoot()).toThrow(expect.objectContaining({ hint: expect.stringMatching(/run as root/) }));
    } finally {
      spy.mockRestore();
    }
  });

  it("names the Debian package of a missing tool", async () => {
    const { requireTools } = await import("../../../src/lab/tools.js");
    let caught: unknown;
    try {
      requireTools(["tini", "nft", "ip"], ["/nonexistent"]);
    } catch (error) {
      caught = error;
    }
    expect((caught as Error).message).toBe("the lab needs tini, nft, ip, not found on this machine");
    expect((caught as OptionsError).hint).toMatch(/^install it: apt-get install tini nftables iproute2 /);
  });
});
