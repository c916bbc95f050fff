/**
 * Throwaway OpenSSH servers for integration tests: `sshd -D -e -f <temp config>` on a 127.0.0.x
 * address with a temp host key and a temp authorized_keys file shared by every user.
 * Needs root (sshd's privilege separation) and /usr/sbin/sshd; `sshdSkipReason()` says why not.
 */
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { randomInt } from "node:crypto";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const SSHD_BINARY = "/usr/sbin/sshd";

/** Why sshd tests cannot run here, or undefined when they can. */
export function sshdSkipReason(): string | undefined {
  if (process.getuid?.() !== 0) return "sshd tests need root (sshd privilege separation, test users, sudo)";
  if (!existsSync(SSHD_BINARY)) return `sshd tests need ${SSHD_BINARY} (apt-get install openssh-server)`;
  return undefined;
}

export interface KeyPair {
  readonly privateKeyFile: string;
  /** The `.pub` line: "type base64 comment". */
  readonly publicKey: string;
}

/** A new unencrypted key pair made by ssh-keygen in `dir`. */
export function generateKey(dir: string, name: string, type: "ed25519" | "rsa" | "ecdsa" = "ed25519"): KeyPair {
  const privateKeyFile = join(dir, name);
  rmSync(privateKeyFile, { force: true });
  rmSync(`${privateKeyFile}.pub`, { force: true });
  execFileSync("ssh-keygen", ["-q", "-t", type, "-N", "", "-C", name, "-f", privateKeyFile]);
  return { privateKeyFile, publicKey: readFileSync(`${privateKeyFile}.pub`, "utf8").trim() };
}

export interface SshdOptions {
  readonly address: string;
  readonly port: number;
  /** Public key lines allowed to log in as any user. */
  readonly authorizedKeys: readonly string[];
  readonly hostKeyType?: "ed25519" | "rsa" | "ecdsa";
  /** More sshd_config lines; they take precedence over the helper's defaults. */
  readonly extraConfig?: readonly string[];
}

export interface Sshd {
  readonly address: string;
  readonly port: number;
  readonly dir: string;
  readonly pid: number;
  readonly hostKey: KeyPair;
  /** A known_hosts line for this server: "[address]:port type base64". */
  readonly knownHostsLine: string;
  /** Pids of the per-connection sshd processes it forked (to cut connections from the server side). */
  sessionPids(): number[];
  stop(): Promise<void>;
}

export async function startSshd(options: SshdOptions): Promise<Sshd> {
  const dir = mkdtempSync(join(tmpdir(), `runbook-sshd-${options.address}-`));
  chmodSync(dir, 0o755); // sshd reads authorized_keys as the logging-in user
  mkdirSync("/run/sshd", { recursive: true, mode: 0o755 }); // privilege separation directory
  const hostKey = generateKey(dir, "host_key", options.hostKeyType ?? "ed25519");
  const authorizedKeysFile = join(dir, "authorized_keys");
  writeFileSync(authorizedKeysFile, options.authorizedKeys.map((key) => `${key}\n`).join(""), { mode: 0o644 });
  const configFile = join(dir, "sshd_config");
  writeFileSync(
    configFile,
    [
      // sshd keeps the first value of each keyword, so the caller's lines go first
      ...(options.extraConfig ?? []),
      `ListenAddress ${options.address}:${options.port}`,
      `HostKey ${hostKey.privateKeyFile}`,
      `PidFile ${join(dir, "sshd.pid")}`,
      `AuthorizedKeysFile ${authorizedKeysFile}`,
      "StrictModes no",
      "UsePAM no",
      "PasswordAuthentication no",
      "KbdInteractiveAuthentication no",
      "PermitRootLogin prohibit-password",
      "AllowTcpForwarding yes",
      "MaxStartups 200",
      "LogLevel ERROR",
      "",
    ].join("\n"),
  );
  execFileSync(SSHD_BINARY, ["-t", "-f", configFile]);
  const child = spawn(SSHD_BINARY, ["-D", "-e", "-f", configFile], { stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    log += chunk.toString("utf8");
    if (process.env.RUNBOOK_SSHD_LOG) process.stderr.write(chunk); // to debug a test: RUNBOOK_SSHD_LOG=1 and extraConfig ["LogLevel DEBUG3"]
  });
  await waitForPort(options.address, options.port, child, () => log);
  const pid = child.pid ?? -1;
  const [type, base64] = hostKey.publicKey.split(" ");
  return {
    address: options.address,
    port: options.port,
    dir,
    pid,
    hostKey,
    knownHostsLine: `[${options.address}]:${options.port} ${type} ${base64}`,
    sessionPids: () => childPids(pid),
    stop: () => stopSshd(child, dir),
  };
}

function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

async function waitForPort(address: string, port: number, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`sshd exited with ${child.exitCode}: ${log()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: address, port }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.on("error", () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill("SIGKILL");
  throw new Error(`sshd on ${address}:${port} did not start listening: ${log()}`);
}

async function stopSshd(child: ChildProcess, dir: string): Promise<void> {
  if (child.exitCode === null) {
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
  }
  rmSync(dir, { recursive: true, force: true });
}

/**
 * A local user for the tests (no home directory, shell /bin/sh), with a password and a sudoers
 * rule; `remove()` deletes both. sshd refuses accounts whose password is locked, hence the password.
 */
export interface TestUser {
  readonly name: string;
  readonly password: string;
  remove(): void;
}

export function createTestUser(name: string, password: string, sudo: "nopasswd" | "password"): TestUser {
  const sudoers = `/etc/sudoers.d/${name}`;
  // a uid of its own, far above useradd's next free one: lab hosts have passwd files of their own,
  // and a user one of them adds (the keyword oracle's kwlogin) gets that next uid too, so its
  // lingering sessions (Ansible's ControlPersist) made userdel here refuse "currently used"
  const uids = getentUids();
  let uid = 50_000 + randomInt(10_000);
  while (uids.has(uid)) uid = 50_000 + randomInt(10_000);
  execFileSync("useradd", ["-M", "-s", "/bin/sh", "-u", String(uid), name]);
  execFileSync("chpasswd", [], { input: `${name}:${password}\n` });
  writeFileSync(sudoers, `${name} ALL=(ALL) ${sudo === "nopasswd" ? "NOPASSWD: " : ""}ALL\n`, { mode: 0o440 });
  return {
    name,
    password,
    remove: () => {
      rmSync(sudoers, { force: true });
      execFileSync("userdel", [name]);
    },
  };
}

/** The uids the machine's own passwd database has. */
function getentUids(): Set<number> {
  return new Set(execFileSync("getent", ["passwd"], { encoding: "utf8" }).split("\n").map((line) => Number(line.split(":")[2])));
}
