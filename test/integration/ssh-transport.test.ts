/**
 * SshTransport against real OpenSSH servers started by the test on 127.0.0.21-25.
 * Needs root (sshd, test users, sudo); skipped with the reason otherwise.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gatherFacts } from "../../src/facts/gather.js";
import { hashHostName } from "../../src/transport/known-hosts.js";
import { SshTransport, type SshOptions } from "../../src/transport/ssh.js";
import { UnreachableError } from "../../src/transport/types.js";
import { createTestUser, generateKey, sshdSkipReason, startSshd, type KeyPair, type Sshd, type TestUser } from "./helpers/sshd.js";

const skipReason = sshdSkipReason();
if (skipReason) console.warn(`skipping ssh transport tests: ${skipReason}`);

const PORT = 2222;

describe.skipIf(skipReason !== undefined)("SshTransport over real sshd", () => {
  let dir: string;
  let clientKey: KeyPair;
  let target: Sshd; // the main server
  let bastion: Sshd; // jump host for proxyJump
  let fragile: Sshd; // its connections get killed
  let knownHosts: string;
  let nopasswdUser: TestUser;
  let passwordUser: TestUser;
  let silent: Server; // accepts TCP, never speaks SSH
  const silentSockets: Socket[] = [];
  const transports: SshTransport[] = [];

  /** A transport to `server` as root with the client key and a known_hosts file that knows every server. */
  const ssh = (server: Sshd, overrides: Partial<SshOptions> = {}): SshTransport => {
    const transport = new SshTransport({
      host: `test-${server.address}`,
      address: server.address,
      port: server.port,
      user: "root",
      privateKeyFile: clientKey.privateKeyFile,
      agent: "",
      knownHostsFile: knownHosts,
      hostKeyChecking: "strict",
      connectTimeoutMs: 5000,
      ...overrides,
    });
    transports.push(transport);
    return transport;
  };

  const unreachable = async (promise: Promise<unknown>): Promise<UnreachableError> => {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UnreachableError);
    return error as UnreachableError;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "runbook-ssh-test-"));
    clientKey = generateKey(dir, "client");
    const authorizedKeys = [clientKey.publicKey];
    [target, bastion, fragile] = await Promise.all([
      startSshd({ address: "127.0.0.21", port: PORT, authorizedKeys }),
      startSshd({ address: "127.0.0.22", port: PORT, authorizedKeys, hostKeyType: "rsa" }),
      startSshd({ address: "127.0.0.23", port: PORT, authorizedKeys, hostKeyType: "ecdsa" }),
    ]);
    knownHosts = join(dir, "known_hosts");
    writeFileSync(knownHosts, [target, bastion, fragile].map((s) => `${s.knownHostsLine}\n`).join(""));
    const suffix = randomBytes(3).toString("hex");
    nopasswdUser = createTestUser(`rbt-np-${suffix}`, randomBytes(12).toString("hex"), "nopasswd");
    passwordUser = createTestUser(`rbt-pw-${suffix}`, `pw-${randomBytes(12).toString("hex")}`, "password");
    silent = createServer((socket) => silentSockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(PORT, "127.0.0.24", resolve));
  });

  afterAll(async () => {
    await Promise.all(transports.map((t) => t.close()));
    for (const socket of silentSockets) socket.destroy();
    await new Promise((resolve) => silent?.close(resolve));
    await Promise.all([target, bastion, fragile].map((s) => s?.stop()));
    nopasswdUser?.remove();
    passwordUser?.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  describe("run", () => {
    it("passes nasty arguments through unchanged", async () => {
      const nasty = ["it's", '"double"', "a\nb", "$(id)", "`id`", "-n", "--", "*", "$HOME", "tab\there", "üñíçødé ✓", "", "a'\"b\\c", "; rm -rf /"];
      const result = await ssh(target).run(["printf", "%s\\0", ...nasty]);
      expect(result.rc).toBe(0);
      expect(result.stdout.split("\0").slice(0, -1)).toEqual(nasty);
    });

    it("sends stdin and reads stdout and stderr", async () => {
      const input = "line one\nünïcode ✓\n";
      const result = await ssh(target).run(["sh", "-c", "cat; echo oops >&2"], { stdin: input });
      expect(result).toEqual({ rc: 0, stdout: input, stderr: "oops\n" });
    });

    it("returns a non-zero exit status as a result, and -1 for a signal", async () => {
      const transport = ssh(target);
      expect(await transport.run(["sh", "-c", "echo bad >&2; exit 3"])).toEqual({ rc: 3, stdout: "", stderr: "bad\n" });
      expect((await transport.run(["sh", "-c", "kill -9 $$"])).rc).toBe(-1);
    });

    it("applies env and cwd", async () => {
      const result = await ssh(target).run(["sh", "-c", 'printf "%s|%s" "$GREETING" "$(pwd)"'], { env: { GREETING: "hi 'there' $x" }, cwd: "/tmp" });
      expect(result.stdout).toBe("hi 'there' $x|/tmp");
    });

    it("kills a command at its timeout and keeps the connection usable", async () => {
      const transport = ssh(target);
      await transport.connect();
      const duration = `30.${randomBytes(3).readUIntBE(0, 3)}`; // makes the sleep findable in /proc
      const result = await transport.run(["sleep", duration], { timeoutMs: 1500 });
      expect(result.rc).toBe(-1);
      expect(result.stderr).toMatch(/timed out after 1500 ms/);
      await waitFor(() => processesMentioning(`sleep\0${duration}`).length === 0 || undefined, 3000);
      expect((await transport.run(["echo", "still here"])).stdout).toBe("still here\n");
    });

    it("runs 50 commands at once on one connection, at most maxChannels at a time", async () => {
      const transport = ssh(target, { maxChannels: 8 });
      const log = join(dir, "overlap.log");
      writeFileSync(log, "");
      const script = 'echo + >> "$1"; sleep 0.2; echo - >> "$1"; echo "$2"';
      const results = await Promise.all(Array.from({ length: 50 }, (_, i) => transport.run(["sh", "-c", script, "sh", log, String(i)])));
      expect(results.map((r) => r.rc)).toEqual(Array(50).fill(0));
      expect(results.map((r) => r.stdout)).toEqual(Array.from({ length: 50 }, (_, i) => `${i}\n`));
      let running = 0;
      let peak = 0;
      for (const mark of readFileSync(log, "utf8").split("\n").filter(Boolean)) {
        running += mark === "+" ? 1 : -1;
        peak = Math.max(peak, running);
      }
      expect(peak).toBeGreaterThan(1);
      expect(peak).toBeLessThanOrEqual(8);
    });

    it("connects once when many callers race", async () => {
      const transport = ssh(target);
      await Promise.all([transport.connect(), transport.connect(), transport.run(["true"])]);
      const before = target.sessionPids().length;
      await transport.connect();
      expect(target.sessionPids().length).toBe(before);
    });
  });

  describe("put", () => {
    it("writes 10 MB byte-exact with owner, group and mode", async () => {
      const path = join(dir, "ten-mb.bin");
      const content = randomBytes(10 * 1024 * 1024);
      await ssh(target).put(path, content, { owner: "nobody", group: "nogroup", mode: "0640" });
      expect(readFileSync(path).equals(content)).toBe(true);
      const stat = statSync(path);
      expect((stat.mode & 0o777).toString(8)).toBe("640");
      expect(execFileSync("stat", ["-c", "%U:%G", path], { encoding: "utf8" }).trim()).toBe("nobody:nogroup");
      expect(readdirSync(dir).filter((f) => f.includes(".runbook-"))).toEqual([]);
    });

    it("never shows readers a half-written file", async () => {
      const path = join(dir, "watched.bin");
      const old = Buffer.alloc(1000, "o");
      writeFileSync(path, old);
      const content = randomBytes(10 * 1024 * 1024);
      const transport = ssh(target);
      await transport.connect();
      let done = false;
      const sizes = new Set<number>();
      const upload = transport.put(path, content).finally(() => (done = true));
      while (!done) {
        sizes.add(readFileSync(path).length);
        await new Promise((resolve) => setImmediate(resolve));
      }
      await upload;
      sizes.add(readFileSync(path).length);
      expect([...sizes].every((size) => size === old.length || size === content.length)).toBe(true);
      expect(readFileSync(path).equals(content)).toBe(true);
    });

    it("keeps the old content and removes the temp file when the connection dies mid-upload", async () => {
      const path = join(dir, "killed.bin");
      writeFileSync(path, "old content\n");
      const transport = ssh(fragile);
      await transport.connect();
      const upload = transport.put(path, randomBytes(200 * 1024 * 1024));
      const settled = upload.then(
        () => "resolved",
        (error: unknown) => error,
      );
      const temp = await waitFor(() => readdirSync(dir).find((f) => f.startsWith(".killed.bin.runbook-") && statSync(join(dir, f)).size > 0));
      expect(temp).toMatch(/^\.killed\.bin\.runbook-[0-9a-f]{12}\.tmp$/);
      for (const pid of fragile.sessionPids()) process.kill(pid, "SIGKILL");
      const error = await settled;
      expect(error).toBeInstanceOf(UnreachableError);
      expect((error as UnreachableError).reason).toBe("closed");
      expect(readFileSync(path, "utf8")).toBe("old content\n");
      await waitFor(() => readdirSync(dir).every((f) => !f.startsWith(".killed.bin.runbook-")) || undefined);
      // no silent reconnect: the host stays unreachable for this transport
      expect((await unreachable(transport.run(["true"]))).reason).toBe("closed");
    });

    it("fails a put that outlives its timeout without leaving a temp file", async () => {
      const path = join(dir, "slow.bin");
      writeFileSync(path, "old content\n");
      const transport = ssh(target, { commandTimeoutMs: 1000 });
      await transport.connect();
      // Big enough that no machine moves it over ssh within the 1 s timeout: 300 MB once did, on a quiet one.
      await expect(transport.put(path, Buffer.alloc(1536 * 1024 * 1024, 7))).rejects.toThrow(/cannot write .*timed out after 1000 ms/s);
      expect(readFileSync(path, "utf8")).toBe("old content\n");
      await waitFor(() => readdirSync(dir).every((f) => !f.startsWith(".slow.bin.runbook-")) || undefined);
      expect((await transport.run(["true"], { timeoutMs: 30_000 })).rc).toBe(0); // session start can take > 1 s on a busy machine
    });
  });

  describe("become", () => {
    it("runs as root through sudo without a password", async () => {
      const transport = ssh(target, { user: nopasswdUser.name });
      expect((await transport.run(["id", "-un"])).stdout).toBe(`${nopasswdUser.name}\n`);
      const result = await transport.run(["sh", "-c", 'id -un; echo "$V"; pwd'], { become: { user: "root" }, env: { V: "kept" }, cwd: "/" });
      expect(result.stdout).toBe("root\nkept\n/\n");
      const path = join(dir, "root-owned.txt");
      await transport.put(path, Buffer.from("as root\n"), { become: { user: "root" }, owner: "root", mode: "0600" });
      expect(readFileSync(path, "utf8")).toBe("as root\n");
      expect(statSync(path).uid).toBe(0);
    });

    it("kills a sudo'd command at its timeout", async () => {
      const transport = ssh(target, { user: nopasswdUser.name });
      await transport.connect();
      const duration = `30.${randomBytes(3).readUIntBE(0, 3)}`;
      const result = await transport.run(["sh", "-c", `sleep ${duration}; echo not reached`], { become: { user: "root" }, timeoutMs: 1500 });
      expect(result.rc).toBe(-1);
      await waitFor(() => processesMentioning(`sleep\0${duration}`).length === 0 || undefined, 3000);
    });

    it("sends the sudo password on stdin, never in argv", async () => {
      const transport = ssh(target, { user: passwordUser.name });
      const become = { user: "root", password: passwordUser.password };
      const running = transport.run(["sh", "-c", "id -un; cat; sleep 1.5"], { become, stdin: "input after the password\n" });
      running.catch(() => {}); // awaited below; keeps an early failure from being an unhandled rejection
      const seen: string[] = [];
      const deadline = Date.now() + 1200;
      while (Date.now() < deadline) {
        seen.push(...processesMentioning(passwordUser.password));
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const result = await running;
      expect(seen).toEqual([]);
      expect(result.stdout).toBe("root\ninput after the password\n");
      const wrong = await transport.run(["id", "-un"], { become: { user: "root", password: "wrong" } });
      expect(wrong.rc).not.toBe(0);
    });
  });

  describe("host keys", () => {
    it("refuses an unknown key in strict mode and says how to trust it", async () => {
      const empty = join(dir, "known_hosts.empty");
      writeFileSync(empty, "");
      const error = await unreachable(ssh(target, { knownHostsFile: empty }).connect());
      expect(error.reason).toBe("host-key");
      expect(error.message).toContain("--accept-new-host-keys");
      expect(error.message).toContain(`ssh-keyscan -p ${PORT} 127.0.0.21 >> ${empty}`);
    });

    it("records an unknown key in accept-new mode, then knows it", async () => {
      const file = join(dir, "known_hosts.new");
      writeFileSync(file, "# a comment without a final newline");
      await ssh(target, { knownHostsFile: file, hostKeyChecking: "accept-new" }).run(["true"]);
      expect(readFileSync(file, "utf8")).toBe(`# a comment without a final newline\n${target.knownHostsLine}\n`);
      expect((await ssh(target, { knownHostsFile: file }).run(["true"])).rc).toBe(0);
    });

    it.each(["strict", "accept-new"] as const)("refuses a changed key loudly (%s)", async (hostKeyChecking) => {
      const file = join(dir, `known_hosts.changed-${hostKeyChecking}`);
      const impostor = generateKey(dir, "impostor");
      const [type, key] = impostor.publicKey.split(" ");
      writeFileSync(file, `[127.0.0.21]:${PORT} ${type} ${key}\n`);
      const error = await unreachable(ssh(target, { knownHostsFile: file, hostKeyChecking }).connect());
      expect(error.reason).toBe("host-key");
      expect(error.message).toMatch(/HOST KEY .* HAS CHANGED/);
      expect(error.message).toContain(`${file}:1`);
      expect(readFileSync(file, "utf8")).toBe(`[127.0.0.21]:${PORT} ${type} ${key}\n`);
    });

    it("refuses a @revoked key", async () => {
      const file = join(dir, "known_hosts.revoked");
      const [, type, key] = target.knownHostsLine.split(" ");
      writeFileSync(file, `${target.knownHostsLine}\n@revoked * ${type} ${key}\n`);
      expect((await unreachable(ssh(target, { knownHostsFile: file }).connect())).reason).toBe("host-key");
    });

    it("accepts entries hashed by ssh-keygen -H and by hashHostName", async () => {
      const file = join(dir, "known_hosts.hashed");
      writeFileSync(file, `${target.knownHostsLine}\n`);
      execFileSync("ssh-keygen", ["-q", "-H", "-f", file]);
      const hashed = readFileSync(file, "utf8");
      expect(hashed.startsWith("|1|")).toBe(true);
      expect((await ssh(target, { knownHostsFile: file }).run(["true"])).rc).toBe(0);
      const [, type, key] = bastion.knownHostsLine.split(" ");
      writeFileSync(file, `${hashHostName(`[127.0.0.22]:${PORT}`, randomBytes(20))} ${type} ${key}\n`);
      expect((await ssh(bastion, { knownHostsFile: file }).run(["true"])).rc).toBe(0);
    });

    it("checks nothing when off", async () => {
      expect((await ssh(target, { knownHostsFile: join(dir, "missing"), hostKeyChecking: "off" }).run(["true"])).rc).toBe(0);
    });
  });

  describe("unreachable hosts", () => {
    it("says refused for a closed port", async () => {
      const error = await unreachable(ssh(target, { port: 2299 }).run(["true"]));
      expect(error.reason).toBe("refused");
      expect(error.host).toBe("test-127.0.0.21");
    });

    it("says auth for a key the server does not accept", async () => {
      const stranger = generateKey(dir, "stranger");
      expect((await unreachable(ssh(target, { privateKeyFile: stranger.privateKeyFile }).connect())).reason).toBe("auth");
    });

    it("says timeout when the server never speaks", async () => {
      const error = await unreachable(ssh(target, { address: "127.0.0.24", connectTimeoutMs: 700 }).connect());
      expect(error.reason).toBe("timeout");
    });
  });

  describe("proxyJump", () => {
    const viaBastion = (port = PORT): SshTransport =>
      ssh(target, {
        port,
        proxyJump: {
          host: "bastion",
          address: bastion.address,
          port: bastion.port,
          user: "root",
          privateKeyFile: clientKey.privateKeyFile,
          agent: "",
          knownHostsFile: knownHosts,
          hostKeyChecking: "strict",
          connectTimeoutMs: 5000,
        },
      });

    it("reaches the target through a second sshd", async () => {
      const transport = viaBastion();
      const result = await transport.run(["sh", "-c", "echo $SSH_CONNECTION"]);
      // the target sees the connection coming from the bastion's forwarding, over 127.0.0.x
      expect(result.stdout).toMatch(new RegExp(`^127\\.0\\.0\\.\\d+ \\d+ 127\\.0\\.0\\.21 ${PORT}\\n$`));
      expect(bastion.sessionPids().length).toBeGreaterThan(0);
    });

    it("says refused when the bastion cannot reach the target port", async () => {
      const error = await unreachable(viaBastion(2298).connect());
      expect(error.reason).toBe("refused");
      expect(error.host).toBe("test-127.0.0.21");
      expect(error.message).toContain("via jump host 127.0.0.22");
    });
  });

  it("gathers plausible facts over ssh", async () => {
    const facts = await gatherFacts(ssh(target));
    expect(facts.hostname).toBe(hostname().split(".")[0]);
    expect(facts.user).toBe("root");
    expect(facts.os.family).toBe("Debian");
    expect(facts.packageManager).toBe("apt");
    expect(facts.cpus).toBeGreaterThan(0);
    expect(facts.memoryMb).toBeGreaterThan(0);
    expect(Object.keys(facts.interfaces)).toContain("lo");
  });

  it("runs 20 commands in a row on one connection, in order (their round trips are printed, not asserted)", async () => {
    const transport = ssh(target);
    let started = performance.now();
    await transport.connect();
    const connectMs = performance.now() - started;
    const single: number[] = [];
    for (let i = 0; i < 5; i++) {
      started = performance.now();
      expect((await transport.run(["true"])).rc).toBe(0);
      single.push(performance.now() - started);
    }
    started = performance.now();
    const outputs: string[] = [];
    for (let i = 0; i < 20; i++) outputs.push((await transport.run(["echo", String(i)])).stdout);
    const twenty = performance.now() - started;
    expect(outputs).toEqual(Array.from({ length: 20 }, (_, i) => `${i}\n`));
    const median = single.sort((a, b) => a - b)[2] ?? 0;
    console.log(`ssh transport: connect ${connectMs.toFixed(1)} ms, one exec round trip (median of 5) ${median.toFixed(1)} ms, 20 sequential commands ${twenty.toFixed(1)} ms`);
  });
});

/** Pids whose command line contains `secret` (the test runs on the same machine as sshd). */
function processesMentioning(secret: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(secret)) found.push(pid);
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}

async function waitFor<T>(probe: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error("condition not met in time");
}
