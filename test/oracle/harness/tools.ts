/**
 * Runs one session of one tool inside its own mount and network namespaces: a private copy of
 * /etc (user, group and sysctl.conf edits land there), a tmpfs /home, and a network namespace
 * whose net.* sysctls are its own, so no case touches the machine. A "run" session runs the
 * playbook twice on the same trees and copies what the first run left before the second.
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { shellJoin } from "../../../src/transport/quote.js";
import type { Session } from "./workspace.js";

const ROOT = join(import.meta.dirname, "..", "..", "..");
const FORKS = "16";
/** The port of the session's own HTTP server (a private network namespace: no clash). */
export const HTTP_PORT = 8765;

/** The shell words that run the tool once; its JSON report goes to stdout. */
function toolCommand(session: Session, work: string, check: boolean): string[] {
  const play = join(work, "play.yaml");
  const checkFlag = check ? ["--check"] : [];
  if (session.tool === "ansible") return ["ansible-playbook", "-i", session.inventory, "-f", FORKS, ...checkFlag, play];
  return [process.execPath, join(ROOT, "bin", "runbook.js"), play, "-i", session.inventory, "--json", "--no-progress", "-f", FORKS, "--timeout", "60", ...checkFlag];
}

function ansibleEnv(work: string): NodeJS.ProcessEnv {
  return {
    ANSIBLE_STDOUT_CALLBACK: "json",
    ANSIBLE_LOAD_CALLBACK_PLUGINS: "1",
    ANSIBLE_PIPELINING: "1",
    ANSIBLE_HOST_KEY_CHECKING: "0",
    ANSIBLE_RETRY_FILES_ENABLED: "0",
    ANSIBLE_DEPRECATION_WARNINGS: "0",
    ANSIBLE_SYSTEM_WARNINGS: "0",
    ANSIBLE_NOCOLOR: "1",
    ANSIBLE_LOCAL_TEMP: join(work, "tmp", "ansible-local"),
    ANSIBLE_REMOTE_TMP: join(work, "tmp", "ansible-remote"),
    ANSIBLE_CONFIG: join(work, "no-ansible.cfg"),
  };
}

const sh = shellJoin;

function snapshotLines(session: Session, work: string, phase: string): string[] {
  const out = join(work, "snap", `${session.name}-${phase}`);
  return [
    `mkdir -p ${sh([out])}`,
    `cp -a ${sh([session.treesDir])} ${sh([join(out, "trees")])}`,
    `cp -a /home ${sh([join(out, "home")])}`,
    `cp /etc/passwd /etc/group /etc/shadow ${sh([out])}`,
    `sysctl -a 2>/dev/null | grep '^net\\.' > ${sh([join(out, "sysctl.txt")])} || true`,
  ];
}

function phaseLines(session: Session, work: string, phase: string, check: boolean): string[] {
  const report = join(work, "out", `${session.name}-${phase}`);
  return [`${sh(toolCommand(session, work, check))} > ${sh([`${report}.json`])} 2> ${sh([`${report}.err`])} || true`, ...snapshotLines(session, work, phase)];
}

export function sessionScript(session: Session, work: string): string {
  const etc = join(work, "etc", session.name);
  const lines = [
    "set -eu",
    `mount --bind ${sh([etc])} /etc`,
    "mount -t tmpfs -o mode=0755 tmpfs /home",
    "ip link set lo up",
    // a new network namespace copies the machine's IPv4 forwarding, which a lab's NAT turns on: start from the kernel's default
    "sysctl -qw net.ipv4.ip_forward=0",
    // uri and get_url cases ask http://127.0.0.1:8765 + a path: any file of the machine (their case directory)
    `python3 -m http.server ${HTTP_PORT} --bind 127.0.0.1 --directory / >/dev/null 2>&1 & trap 'kill $!' EXIT`,
    `for i in $(seq 100); do if curl -s -o /dev/null http://127.0.0.1:${HTTP_PORT}/; then break; fi; sleep 0.1; done`,
    `sh ${sh([join(work, "accounts.sh")])}`,
    `cd ${sh([work])}`,
  ];
  if (session.kind === "check") lines.push(...phaseLines(session, work, "check", true));
  else lines.push(...phaseLines(session, work, "first", false), ...phaseLines(session, work, "second", false));
  return `${lines.join("\n")}\n`;
}

/** Resolves when the session is done; the tools' own failures are in their reports, not here. */
export function runSession(session: Session, work: string): Promise<void> {
  const etc = join(work, "etc", session.name);
  for (const dir of ["etc", "out", "tmp"]) mkdirSync(join(work, dir), { recursive: true });
  execFileSync("cp", ["-a", "/etc", etc]);
  const env = { ...process.env, ...(session.tool === "ansible" ? ansibleEnv(work) : {}) };
  const child = spawn("unshare", ["--mount", "--net", "--propagation", "private", "sh", "-c", sessionScript(session, work)], { env, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`oracle session ${session.name} failed (${code}): ${stderr}`))));
  });
}
