/**
 * Making one host of either kind: its identity, its processes, its wiring into the lab
 * network. On failure everything made for the host is removed again before the error goes up.
 */
import { join } from "node:path";
import { RunbookError } from "../errors.js";
import type { Hierarchy } from "./cgroup.js";
import { teardownHost, unmountUnder } from "./cleanup.js";
import { startLightHost, type StartedHost } from "./host-light.js";
import { wireHost, type LabNetwork } from "./host-network.js";
import { generateKeyPair, type HostIdentity } from "./host-seed.js";
import { createNetns, startSystemdHost } from "./host-systemd.js";
import { formatAddress } from "./ipv4.js";
import { cgroupName, underlayVethName, vethName } from "./naming.js";
import { deleteLink } from "./network.js";
import type { PlannedHost } from "./plan.js";
import { hostDir, type HostState, type LabPaths } from "./state.js";
import { lastLines } from "./log-tail.js";

export interface CreateContext {
  readonly paths: LabPaths;
  readonly name: string;
  readonly network: LabNetwork;
  readonly hierarchies: readonly Hierarchy[];
  readonly modulesIndex: string | undefined;
  readonly authorizedKey: string;
  readonly peers: readonly { readonly name: string; readonly address: string }[];
  /** The systemd hosts' rootfs; undefined for light hosts. */
  readonly rootfs: string | undefined;
}

function identityFor(ctx: CreateContext, host: PlannedHost): HostIdentity {
  return {
    name: host.name,
    peers: ctx.peers,
    hostKey: generateKeyPair(`root@${host.name}`),
    authorizedKey: ctx.authorizedKey,
    modulesIndex: ctx.modulesIndex,
  };
}

function baseState(host: PlannedHost, started: StartedHost, netnsFile?: string): HostState {
  return {
    name: host.name,
    address: formatAddress(host.address),
    underlayAddress: host.underlayAddress === undefined ? undefined : formatAddress(host.underlayAddress),
    groups: host.groups,
    init: started.init,
    launcher: started.launcher,
    veth: vethName(host.address),
    underlayVeth: host.underlayAddress === undefined ? undefined : underlayVethName(host.underlayAddress),
    cgroups: started.cgroups,
    netnsFile,
  };
}

/** Light host: the namespaces exist once unshare runs; wire its network afterwards. */
export async function createLightHost(ctx: CreateContext, host: PlannedHost): Promise<HostState> {
  const started = await startLightHost({
    identity: identityFor(ctx, host),
    dir: hostDir(ctx.paths, host.name),
    initScript: ctx.paths.initScript,
    hierarchies: ctx.hierarchies,
    cgroupName: cgroupName(ctx.name, host.name),
  });
  const state = baseState(host, started);
  try {
    await wireHost(ctx.network, host, { pid: started.init.pid });
  } catch (error) {
    const log = initLogTail(ctx.paths, host.name);
    await teardownHost(ctx.paths, state, "light");
    throw new RunbookError("runtime", `lab host ${host.name}: ${error instanceof Error ? error.message : String(error)}`, {
      hint: log ? `its init said: ${log}` : undefined,
      cause: error,
    });
  }
  return state;
}

/** systemd host: make and wire the network namespace first, so systemd boots with its network up. */
export async function createSystemdHost(ctx: CreateContext, host: PlannedHost, rootfs: string): Promise<HostState> {
  const netnsFile = join(ctx.paths.netnsDir, host.name);
  const cleanupNetwork = async (): Promise<void> => {
    await unmountUnder(netnsFile);
    await deleteLink(vethName(host.address));
    if (host.underlayAddress !== undefined) await deleteLink(underlayVethName(host.underlayAddress));
  };
  try {
    await createNetns(netnsFile);
    await wireHost(ctx.network, host, { file: netnsFile });
  } catch (error) {
    await cleanupNetwork();
    throw error;
  }
  let started: StartedHost;
  try {
    started = await startSystemdHost({
      identity: identityFor(ctx, host),
      dir: hostDir(ctx.paths, host.name),
      rootfs,
      launchScript: ctx.paths.systemdScript,
      netnsFile,
      hierarchies: ctx.hierarchies,
      cgroupName: cgroupName(ctx.name, host.name),
    });
  } catch (error) {
    await cleanupNetwork();
    throw error;
  }
  return baseState(host, started, netnsFile);
}

/** The last lines a host's init wrote (it is removed with the host). */
function initLogTail(paths: LabPaths, host: string): string {
  return lastLines(join(hostDir(paths, host), "init.log"), 3).join(" | ");
}

