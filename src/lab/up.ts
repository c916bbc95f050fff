/**
 * `lab up`: resolve the request, clean what a dead lab left behind, then create the missing
 * hosts concurrently (bounded), wait until each one's sshd answers, and write the key,
 * known_hosts, inventory and state. Hosts that are up already are left alone.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import PQueue from "p-queue";
import { RunbookError } from "../errors.js";
import { ensureLabKey, labInfo, writeAccessFiles, type LabInfo } from "./access.js";
import { machineHierarchies } from "./cgroup.js";
import { checkOwnership, hasLeftovers, teardownHost, teardownLab } from "./cleanup.js";
import { createLightHost, createSystemdHost, type CreateContext } from "./create-host.js";
import { nsenterNet, type LabNetwork } from "./host-network.js";
import { formatAddress, formatSubnet } from "./ipv4.js";
import { raiseNeighbourThresholds } from "./kernel-limits.js";
import { LIGHT_INIT_SCRIPT } from "./light-init-script.js";
import { acquireLock } from "./lock.js";
import { ensureModulesIndex, machineHasModules } from "./modules-index.js";
import { bridgeName, checkLabName, nftTableName, underlayBridgeName } from "./naming.js";
import { allowedAddresses, applyNat, deleteNat, readForward, renderNatRules, setForward } from "./nat.js";
import { checkNoCollision, ensureBridge, setDefaultRoute } from "./network.js";
import { machineAddress, type PlannedHost } from "./plan.js";
import { preflight } from "./preflight.js";
import { currentInit } from "./host-systemd.js";
import { sshBanner, waitForSsh } from "./readiness.js";
import { checkCompatible, resolveRequest, type LabRequest, type LabUpOptions } from "./request.js";
import { ensureRootfs } from "./rootfs.js";
import { labLockDir, labPaths, readState, writeState, type HostState, type LabPaths, type LabState, type NatState } from "./state.js";
import { SYSTEMD_LAUNCH_SCRIPT } from "./systemd-launch-script.js";
import { lastLines } from "./log-tail.js";

export type { LabUpOptions } from "./request.js";
export type { LabHostInfo, LabInfo } from "./access.js";

/** Brings the lab up (idempotent); one `lab up`/`lab down` per lab at a time. */
export async function labUp(options: LabUpOptions): Promise<LabInfo> {
  checkLabName(options.name);
  const paths = labPaths(options.name, options.stateRoot);
  preflight(options.init ?? "light", options.nat ?? false, paths.root);
  const unlock = await acquireLock(labLockDir(paths), `lab ${options.name}`, 20 * 60_000);
  try {
    await checkOwnership(paths, options.name);
    return await bringUp(resolveRequest(options), paths, options.concurrency ?? 8);
  } finally {
    unlock();
  }
}

async function bringUp(request: LabRequest, paths: LabPaths, concurrency: number): Promise<LabInfo> {
  const kept = await reconcile(request, paths);
  const network = await prepareNetwork(request, paths);
  raiseNeighbourThresholds(request.hosts.length);
  const authorizedKey = ensureLabKey(paths, request.name);
  mkdirSync(paths.hostsDir, { recursive: true });
  writeFileSync(paths.initScript, LIGHT_INIT_SCRIPT, { mode: 0o755 });
  writeFileSync(paths.systemdScript, SYSTEMD_LAUNCH_SCRIPT, { mode: 0o755 });
  const ctx: CreateContext = {
    paths,
    name: request.name,
    network,
    hierarchies: machineHierarchies(),
    modulesIndex: machineHasModules() ? undefined : await ensureModulesIndex(paths.root),
    authorizedKey,
    peers: request.hosts.map((host) => ({ name: host.name, address: formatAddress(host.address) })),
    rootfs: request.init === "systemd" ? await ensureRootfs(paths.root, request.packages) : undefined,
  };
  const record = new StateRecorder(paths, initialState(request, network, kept, readState(paths)?.nat, ctx.rootfs), request.hosts);
  const missing = request.hosts.filter((host) => !kept.some((k) => k.name === host.name));
  await createHosts(ctx, missing, record, concurrency);
  await applyNatSetting(request, network, kept, record);
  await waitUntilReachable(paths, record.state.hosts.filter((host) => missing.some((m) => m.name === host.name)), request.name);
  writeAccessFiles(paths, record.state);
  return labInfo(paths, record.state);
}

/**
 * Compares the request with what runs: a lab whose hosts all died (or only left traces) is
 * cleaned completely; hosts that are down, unwanted or moved are removed; the rest are kept.
 */
async function reconcile(request: LabRequest, paths: LabPaths): Promise<HostState[]> {
  const previous = readState(paths);
  const up = previous ? await hostsUp(previous) : new Set<string>();
  if (previous && up.size > 0) checkCompatible(previous, request);
  if (up.size === 0) {
    if (previous !== undefined || (await hasLeftovers(paths, request.name))) {
      await teardownLab(paths, request.name, { keepKey: true });
    }
    return [];
  }
  const kept: HostState[] = [];
  for (const host of previous?.hosts ?? []) {
    const plan = request.hosts.find((p) => p.name === host.name);
    if (up.has(host.name) && plan && formatAddress(plan.address) === host.address) kept.push(host);
    else await teardownHost(paths, host, previous?.init ?? request.init);
  }
  return kept;
}

/** Hosts of a recorded lab that still run and answer ssh. */
async function hostsUp(state: LabState): Promise<Set<string>> {
  const checks = await Promise.all(
    state.hosts.map(async (host) => (currentInit(host) !== undefined && (await sshBanner(host.address)) ? host.name : undefined)),
  );
  return new Set(checks.filter((name): name is string => name !== undefined));
}

async function prepareNetwork(request: LabRequest, paths: LabPaths): Promise<LabNetwork> {
  const bridge = bridgeName(request.name);
  const underlayBridge = underlayBridgeName(request.name);
  await checkNoCollision(request.subnet, [bridge], "the lab subnet");
  if (request.underlay) await checkNoCollision(request.underlay, [underlayBridge], "the underlay subnet");
  await ensureBridge(bridge, request.subnet, machineAddress(request.subnet), paths.dir);
  if (request.underlay) await ensureBridge(underlayBridge, request.underlay, undefined, paths.dir);
  return {
    subnet: request.subnet,
    bridge,
    underlay: request.underlay ? { subnet: request.underlay, bridge: underlayBridge } : undefined,
    gateway: request.nat ? machineAddress(request.subnet) : undefined,
  };
}

function initialState(
  request: LabRequest,
  network: LabNetwork,
  kept: readonly HostState[],
  nat: NatState | undefined,
  rootfs: string | undefined,
): LabState {
  return {
    version: 1,
    name: request.name,
    subnet: formatSubnet(request.subnet),
    underlaySubnet: request.underlay ? formatSubnet(request.underlay) : undefined,
    init: request.init,
    bridge: network.bridge,
    underlayBridge: network.underlay?.bridge,
    nat,
    packages: request.init === "systemd" ? request.packages : undefined,
    rootfs,
    hosts: kept,
  };
}

/**
 * Keeps state.json current as hosts appear (in plan order), so a killed run can be cleaned up.
 * Saves after a host are at most one per SAVE_INTERVAL_MS: at 1,000 hosts, rewriting the
 * growing file after every host was ~500 MB of JSON. A host made in the last interval before
 * a kill is still found by `lab down` through its cgroup and its veth's bridge.
 */
class StateRecorder {
  private static readonly SAVE_INTERVAL_MS = 250;
  private readonly hosts: Map<string, HostState>;
  private lastSave = 0;
  private pending: NodeJS.Timeout | undefined;

  constructor(
    private readonly paths: LabPaths,
    public state: LabState,
    private readonly order: readonly PlannedHost[],
  ) {
    this.hosts = new Map(state.hosts.map((host) => [host.name, host]));
    this.save();
  }

  addHost(host: HostState): void {
    this.hosts.set(host.name, host);
    this.state = { ...this.state, hosts: this.order.map((p) => this.hosts.get(p.name)).filter((h): h is HostState => h !== undefined) };
    const wait = this.lastSave + StateRecorder.SAVE_INTERVAL_MS - Date.now();
    if (wait <= 0) this.save();
    else this.pending ??= setTimeout(() => this.save(), wait);
  }

  update(change: Partial<LabState>): void {
    this.state = { ...this.state, ...change };
    this.save();
  }

  /** Writes what a throttled save still holds back. */
  flush(): void {
    if (this.pending !== undefined) this.save();
  }

  private save(): void {
    clearTimeout(this.pending);
    this.pending = undefined;
    this.lastSave = Date.now();
    writeState(this.paths, this.state);
  }
}

async function createHosts(ctx: CreateContext, missing: readonly PlannedHost[], record: StateRecorder, concurrency: number): Promise<void> {
  const queue = new PQueue({ concurrency });
  const failures: unknown[] = [];
  await Promise.all(
    missing.map((host) =>
      queue.add(async () => {
        try {
          // No retry: hosts that died while coming up (init gone under `ip link`/nsenter, sshd
          // "no hostkeys available") had host keys sshd refused; see openssh-key.ts.
          record.addHost(ctx.rootfs === undefined ? await createLightHost(ctx, host) : await createSystemdHost(ctx, host, ctx.rootfs));
        } catch (error) {
          failures.push(error);
        }
      }),
    ),
  );
  record.flush();
  if (failures.length > 0) throw failures[0];
}

/** NAT is a lab-wide setting: the rules and every host's default route follow this run's flag. */
async function applyNatSetting(request: LabRequest, network: LabNetwork, kept: readonly HostState[], record: StateRecorder): Promise<void> {
  const previous = record.state.nat;
  if (request.nat) {
    record.update({ nat: await setUpNat(request.name, network, previous) });
  } else if (previous) {
    await deleteNat(previous.table);
    record.update({ nat: undefined });
  }
  for (const host of kept) await setDefaultRoute(nsenterNet({ pid: (currentInit(host) ?? host.init).pid }), network.gateway);
}

async function setUpNat(name: string, network: LabNetwork, previous: NatState | undefined): Promise<NatState> {
  const table = nftTableName(name);
  const forwardWas = previous?.forwardWas ?? readForward();
  await applyNat(table, renderNatRules(table, network.bridge, network.subnet, await allowedAddresses()));
  if (readForward() !== "1") await setForward("1"); // only now that the rules are in place
  return { table, forwardWas };
}

async function waitUntilReachable(paths: LabPaths, hosts: readonly HostState[], lab: string): Promise<void> {
  const deadline = Date.now() + 30_000 + hosts.length * 300;
  const results = await Promise.all(hosts.map(async (host) => ((await waitForSsh(host.address, deadline)) ? undefined : host)));
  const silent = results.filter((host): host is HostState => host !== undefined);
  if (silent.length > 0) {
    const why = silent.map((host) => `${host.name} (${host.address}): ${diagnose(paths, host)}`);
    throw new RunbookError("runtime", `lab ${lab}: sshd did not answer on ${why.join("; ")}`, {
      hint: `see init.log under ${paths.hostsDir}/<host>/; \`runbook lab down --name ${lab}\` cleans up`,
    });
  }
}

/** Why a host may be silent: its PID 1 gone, or what its init and sshd logged last. */
function diagnose(paths: LabPaths, host: HostState): string {
  const tail = (file: string): string => lastLines(file, 2).join(" | ");
  const dir = join(paths.hostsDir, host.name);
  const parts = [currentInit(host) !== undefined ? "init running" : "init gone"];
  const init = tail(join(dir, "init.log"));
  if (init) parts.push(`init.log: ${init}`);
  const sshd = tail(join(dir, "upper", "var", "log", "sshd.log"));
  if (sshd) parts.push(`sshd.log: ${sshd}`);
  return parts.join(", ");
}
