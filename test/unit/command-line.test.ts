import { lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { atomicWriteArgv } from "../../src/transport/atomic-write.js";
import { buildCommandLine } from "../../src/transport/command-line.js";
import { LocalTransport } from "../../src/transport/local.js";

const local = new LocalTransport();
const dir = mkdtempSync(join(tmpdir(), "runbook-cmdline-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const isRoot = process.getuid?.() === 0;

describe("buildCommandLine", () => {
  it("prefixes env assignments and cd, quoted", () => {
    expect(buildCommandLine(["echo", "$A"], { env: { A: "x y" }, cwd: "/tmp dir" }).command).toBe("cd '/tmp dir' && env 'A=x y' echo '$A'");
  });

  it("rejects environment names a shell cannot take", () => {
    expect(() => buildCommandLine(["true"], { env: { "A B": "1" } })).toThrow(/invalid environment variable name/);
  });

  it("puts the password in stdinPrefix, never in the command", () => {
    const { command, stdinPrefix } = buildCommandLine(["id"], { become: { user: "root", password: "s3cret" } });
    expect(command).not.toContain("s3cret");
    expect(stdinPrefix).toBe("s3cret\n");
  });

  it("makes sure the password line is read exactly once: by sudo -k -S, or dropped when sudo needs none", () => {
    const { command } = buildCommandLine(["id"], { become: { user: "root", password: "s3cret" } });
    expect(command).toBe(
      "if sudo -n -u root true 2>/dev/null; then IFS= read -r _ && exec sudo -n -H -u root -- sh -c id; " +
        "else exec sudo -k -S -p '' -H -u root -- sh -c id; fi",
    );
  });

  it("wraps a timeout in `timeout` (TERM, then KILL), rounded up to whole seconds", () => {
    expect(buildCommandLine(["sleep", "5"], { timeoutMs: 1200 }).command).toBe(
      "if command -v timeout >/dev/null 2>&1; then timeout -k 2 2 sleep 5; else sleep 5; fi",
    );
  });
});

describe("LocalTransport with the shared command line", () => {
  it("passes env, cwd and odd values through sh", async () => {
    const result = await local.run(["sh", "-c", 'printf "%s|%s" "$V" "$(pwd)"'], { env: { V: "it's $(x)" }, cwd: dir });
    expect(result.stdout).toBe(`it's $(x)|${dir}`);
  });

  it.skipIf(!isRoot)("keeps env under become (sudo resets the environment)", async () => {
    const result = await local.run(["sh", "-c", 'echo "$V"'], { env: { V: "kept" }, become: { user: "nobody" } });
    expect(result.stdout).toBe("kept\n");
  });

  it.skipIf(!isRoot)("a become password sudo does not ask for never reaches the command's input", async () => {
    // root needs no password for sudo: the line must be dropped, not written into the file
    const path = join(dir, "become-put.txt");
    await local.put(path, Buffer.from("content\n"), { become: { user: "root", password: "unused" } });
    expect(readFileSync(path, "utf8")).toBe("content\n");
  });

  it("returns -1 and says so on timeout", async () => {
    const result = await local.run(["sleep", "5"], { timeoutMs: 200 });
    expect(result.rc).toBe(-1);
    expect(result.stderr).toMatch(/timed out after 200 ms/);
  });
});

describe("atomic write script", () => {
  it("refuses a short upload, keeps the old file and removes the temp file", async () => {
    const path = join(dir, "target.txt");
    writeFileSync(path, "old\n");
    const result = await local.run(atomicWriteArgv(path, {}, 100), { stdin: "only a few bytes" });
    expect(result.rc).not.toBe(0);
    expect(result.stderr).toMatch(/short upload: 16 of 100 bytes/);
    expect(readFileSync(path, "utf8")).toBe("old\n");
    expect(readdirSync(dir).filter((f) => f.includes(".runbook-"))).toEqual([]);
  });

  it("keeps the existing mode when none is given and sets one when asked", async () => {
    const path = join(dir, "mode.txt");
    writeFileSync(path, "old\n", { mode: 0o604 });
    await local.put(path, Buffer.from("new\n"));
    expect(statSync(path).mode & 0o777).toBe(0o604);
    await local.put(path, Buffer.from("newer\n"), { mode: "0640" });
    expect(statSync(path).mode & 0o777).toBe(0o640);
    expect(readFileSync(path, "utf8")).toBe("newer\n");
  });

  it("replaces a symbolic link by a file of the umask's mode, not the link's 0777", async () => {
    const target = join(dir, "link-target.txt");
    const link = join(dir, "link.txt");
    writeFileSync(target, "old\n", { mode: 0o600 });
    symlinkSync(target, link);
    await local.put(link, Buffer.from("new\n"));
    expect(lstatSync(link).isFile()).toBe(true);
    expect(lstatSync(link).mode & 0o777).toBe(0o666 & ~process.umask());
    expect(readFileSync(target, "utf8")).toBe("old\n");
  });
});
