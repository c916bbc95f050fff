/** `lab down`, `lab status`, `lab exec` and the argv of `lab ssh`, over a lab's recorded state. */
import { OptionsError, RunbookError, didYouMean } from "../errors.js";
import { checkOwnership, foreignOwner, teardownLab } from "./cleanup.js";
import { checkLabName } from "./naming.js";
import { preflight, requireRoot } from "./preflight.js";
import { currentInit } from "./host-systemd.js";
import { sshBanner } from "./readiness.js";
import { run, type ToolResult } from "./run.js";
import { acquireLock } from "./lock.js";
import { labLockDir, labPaths, readState, type HostState, type LabState, type ProcessRef } from "./state.js";

/** Whether a lab of this name is up for another project (its state directory elsewhere). */
export async function labInUseElsewhere(name: string, stateRoot?: string): Promise<boolean> {
  checkLabName(name);
  return (await foreignOwner(labPaths(name, stateRoot), name)) !== undefined;
}

/** Stops every process of the lab and removes everything it made, state included. */
export async function labDown(name: string, stateRoot?: string): Promise<void> {
  checkLabName(name);
  const paths = labPaths(name, stateRoot);
  preflight("light", false, paths.root);
  const unlock = await acquireLock(labLockDir(paths), `lab ${name}`, 20 * 60_000);
  try {
    await checkOwnership(paths, name);
    await teardownLab(paths, name, { keepKey: false });
  } finally {
    unlock();
  }
}

export interface HostStatus {
  readonly name: string;
  readonly address: string;
  readonly pid: number;
  readonly running: boolean;
  readonly sshd: boolean;
}

export interface LabStatus {
  readonly name: string;
  readonly exists: boolean;
  readonly subnet?: string | undefined;
  readonly init?: string | undefined;
  readonly hosts: readonly HostStatus[];
}

export async function labStatus(name: string, stateRoot?: string): Promise<LabStatus> {
  checkLabName(name);
  const state = readState(labPaths(name, stateRoot));
  if (!state) return { name, exists: false, hosts: [] };
  const hosts = await Promise.all(
    state.hosts.map(async (host) => {
      const init = currentInit(host);
      return { name: host.name, address: host.address, pid: (init ?? host.init).pid, running: init !== undefined, sshd: init !== undefined && (await sshBanner(host.address)) };
    }),
  );
  return { name, exists: true, subnet: state.subnet, init: state.init, hosts };
}

function requireState(name: string, stateRoot: string | undefined): LabState {
  const state = readState(labPaths(name, stateRoot));
  if (!state) {
    throw new OptionsError(`lab ${name} is not up`, { hint: `bring it up with \`runbook lab up --name ${name}\`` });
  }
  return state;
}

/** The host by inventory name or address; an unknown name suggests the closest one. */
export function findHost(state: LabState, host: string): HostState {
  const found = state.hosts.find((candidate) => candidate.name === host || candidate.address === host);
  if (found) return found;
  const suggestion = didYouMean(host, state.hosts.map((candidate) => candidate.name));
  throw new OptionsError(`lab ${state.name} has no host '${host}'`, {
    hint: suggestion ?? `its hosts: ${state.hosts.map((candidate) => candidate.name).join(", ") || "none"}`,
  });
}

/** Joins the host's cgroups, then its namespaces (no ssh involved). */
const ENTER_HOST = 'while [ "$1" != -- ]; do echo $$ > "$1/cgroup.procs" 2>/dev/null || true; shift; done; shift; exec "$@"';

/** `init`: the host's PID 1 as it runs now (host-systemd.ts currentInit), whose namespaces are entered. */
export function execArgv(host: HostState, argv: readonly string[], init: ProcessRef = host.init): string[] {
  return [
    "sh", "-c", ENTER_HOST, "sh", ...host.cgroups, "--",
    "nsenter", "-t", String(init.pid), "-m", "-u", "-i", "-n", "-p", "-C", "-w", "--", ...argv,
  ];
}

/** The command line that runs argv inside a running lab host's namespaces. */
export function hostExecArgv(name: string, host: string, argv: readonly string[], stateRoot?: string): string[] {
  checkLabName(name);
  requireRoot();
  const state = requireState(name, stateRoot);
  const target = findHost(state, host);
  const init = currentInit(target);
  if (init === undefined) {
    throw new RunbookError("runtime", `lab host ${target.name} is not running (or between two boots)`, { hint: `run \`runbook lab up --name ${name}\`` });
  }
  if (argv.length === 0) throw new OptionsError("lab exec needs a command", { hint: "runbook lab exec HOST -- CMD" });
  return execArgv(target, argv, init);
}

/** Runs argv inside a lab host's namespaces and returns its result. */
export async function labExec(name: string, host: string, argv: readonly string[], stateRoot?: string): Promise<ToolResult> {
  return run(hostExecArgv(name, host, argv, stateRoot));
}

/**
 * The system ssh command line that logs into a lab host as root, host-key checking on. The
 * command's words are joined with spaces and read by the host's shell, as `ssh host a b` does:
 * `lab ssh h1 -- 'ip -br addr; docker ps'` runs two commands.
 */
export function sshArgv(name: string, host: string, command: readonly string[], stateRoot?: string): string[] {
  checkLabName(name);
  const paths = labPaths(name, stateRoot);
  const target = findHost(requireState(name, stateRoot), host);
  return [
    "ssh",
    "-i", paths.privateKey,
    "-o", "IdentitiesOnly=yes",
    "-o", `UserKnownHostsFile=${paths.knownHosts}`,
    "-o", "StrictHostKeyChecking=yes",
    "-o", "LogLevel=ERROR",
    `root@${target.address}`,
    ...(command.length > 0 ? ["--", command.join(" ")] : []),
  ];
}
