/**
 * `lab up`: plan the hosts, clean what a dead lab left behind, then create the missing hosts
 * concurrently (bounded), wait until each one's sshd answers, and write the key, known_hosts,
 * inventory and state. Hosts that are up already are left alone.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import PQueue from "p-queue";
import { OptionsError, RunbookError } from "../errors.js";
import { machineHierarchies, type Hierarchy } from "./cgroup.js";
import { checkOwnership, hasLeftovers, teardownHost, teardownLab, unmountUnder } from "./cleanup.js";
import { generateKeyPair, type HostIdentity } from "./host-seed.js";
import { startLightHost, type StartedHost } from "./host-light.js";
import { createNetns, startSystemdHost } from "./host-systemd.js";
import { SYSTEMD_LAUNCH_SCRIPT } from "./systemd-launch-script.js";
import { ensureRootfs } from "./rootfs.js";
import { nsenterNet, wireHost, type LabNetwork } from "./host-network.js";
import { readInventoryHosts } from "./inventory-reader.js";
import { renderInventory, renderKnownHosts } from "./inventory-writer.js";
import { formatAddress, formatSubnet, parseSubnet, type Subnet } from "./ipv4.js";
import { LIGHT_INIT_SCRIPT } from "./light-init-script.js";
import { ensureModulesIndex, machineHasModules } from "./modules-index.js";
import { bridgeName, cgroupName, checkLabName, defaultSubnet, nftTableName, underlayBridgeName, underlaySubnet, underlayVethName, vethName } from "./naming.js";
import { allowedAddresses, applyNat, deleteNat, readForward, renderNatRules, setForward } from "./nat.js";
import { checkNoCollision, deleteLink, ensureBridge, setDefaultRoute } from "./network.js";
import { describeNoHosts, generatedHosts, inventoryHosts, machineAddress, type PlannedHost } from "./plan.js";
import { preflight } from "./preflight.js";
import { isAlive } from "./process.js";
import { sshBanner, waitForSsh } from "./readiness.js";
import { acquireLock } from "./lock.js";
import { hostDir, labLockDir, labPaths, readState, writeState, type HostState, type InitKind, type LabPaths, type LabState, type NatState } from "./state.js";

export interface LabUpOptions {
  readonly name: string;
  /** Generate this many hosts h1..hN (group `lab`); or give `inventories`. */
  readonly hosts?: number | undefined;
  readonly inventories?: readonly string[] | undefined;
  readonly subnet?: string | undefined;
  readonly init?: InitKind | undefined;
  readonly nat?: boolean | undefined;
  readonly underlay?: boolean | undefined;
  /** Extra Debian packages baked into the systemd hosts' rootfs. */
  readonly packages?: readonly string[] | undefined;
  /** Where labs keep their state; default `.runbook/lab` in the current directory. */
  readonly stateRoot?: string | undefined;
  /** Hosts created at once (default 8). */
  readonly concurrency?: number | undefined;
}

export interface LabHostInfo {
  readonly name: string;
  readonly address: string;
  readonly pid: number;
}

export interface LabInfo {
  readonly name: string;
  readonly subnet: string;
  readonly init: InitKind;
  readonly inventoryFile: string;
  readonly keyFile: string;
  readonly knownHostsFile: string;
  readonly hosts: readonly LabHostInfo[];
}

export function labInfo(paths: LabPaths, state: LabState): LabInfo {
  return {
    name: state.name,
    subnet: state.subnet,
    init: state.init,
    inventoryFile: paths.inventory,
    keyFile: paths.privateKey,
    knownHostsFile: paths.knownHosts,
    hosts: state.hosts.map((host) => ({ name: host.name, address: host.address, pid: host.init.pid })),
  };
}

function resolveSubnet(name: string, text: string | undefined): Subnet {
  if (text === undefined) return defaultSubnet(name);
  const subnet = parseSubnet(text);
  if (!subnet || subnet.prefix > 29 || subnet.prefix < 8) {
    throw new OptionsError(`invalid --subnet '${text}'`, { hint: "give an IPv4 network from /8 to /29, e.g. 10.88.0.0/24" });
  }
  return subnet;
}

function planFor(options: LabUpOptions, subnet: Subnet, underlay: Subnet | undefined): PlannedHost[] {
  const inventories = options.inventories ?? [];
  if (inventories.length > 0 && options.hosts !== undefined) {
    throw new OptionsError("give either -i INVENTORY or --hosts N, not both");
  }
  if (inventories.length === 0) return generatedHosts(options.hosts ?? 3, subnet, underlay);
  const entries = readInventoryHosts(inventories);
  const planned = inventoryHosts(entries, subnet, underlay);
  if (planned.length === 0) throw describeNoHosts(subnet, entries);
  return planned;
}

/** Hosts of a recorded lab that still run and answer ssh. */
async function hostsUp(state: LabState): Promise<Set<string>> {
  const checks = await Promise.all(
    state.hosts.map(async (host) => (isAlive(host.init) && (await sshBanner(host.address)) ? host.name : undefined)),
  );
  return new Set(checks.filter((name): name is string => name !== undefined));
}

function checkCompatible(state: LabState, subnet: Subnet, init: InitKind, underlay: Subnet | undefined, packages: readonly string[]): void {
  const differs: string[] = [];
  if (init === "systemd" && (state.packages ?? []).join(",") !== [...new Set(packages)].sort().join(",")) {
    differs.push(`--packages ${(state.packages ?? []).join(",") || "(none)"}`);
  }
  if (state.subnet !== formatSubnet(subnet)) differs.push(`subnet ${state.subnet}`);
  if (state.init !== init) differs.push(`--init ${state.init}`);
  if ((state.underlaySubnet !== undefined) !== (underlay !== undefined)) differs.push(state.underlaySubnet ? "--underlay" : "no --underlay");
  if (differs.length > 0) {
    throw new OptionsError(`lab ${state.name} is up with ${differs.join(", ")}`, {
      hint: `run \`runbook lab down --name ${state.name}\` first to change it`,
    });
  }
}

function ensureLabKey(paths: LabPaths, name: string): string {
  if (!existsSync(paths.privateKey) || !existsSync(paths.publicKey)) {
    const pair = generateKeyPair(`runbook-lab-${name}`);
    mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
    writeFileSync(paths.privateKey, pair.privateKey, { mode: 0o600 });
    writeFileSync(paths.publicKey, pair.publicKey, { mode: 0o644 });
  }
  chmodSync(paths.privateKey, 0o600);
  return readFileSync(paths.publicKey, "utf8");
}

interface CreateContext {
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
async function createLightHost(ctx: CreateContext, host: PlannedHost): Promise<HostState> {
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
async function createSystemdHost(ctx: CreateContext, host: PlannedHost, rootfs: string): Promise<HostState> {
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

async function setUpNat(name: string, network: LabNetwork, previous: NatState | undefined): Promise<NatState> {
  const table = nftTableName(name);
  const forwardWas = previous?.forwardWas ?? readForward();
  await applyNat(table, renderNatRules(table, network.bridge, network.subnet, await allowedAddresses()));
  if (readForward() !== "1") await setForward("1"); // only now that the rules are in place
  return { table, forwardWas };
}

/** The last lines a host's init wrote (it is removed with the host). */
function initLogTail(paths: LabPaths, host: string): string {
  try {
    return readFileSync(join(hostDir(paths, host), "init.log"), "utf8").trim().split("\n").slice(-3).join(" | ");
  } catch {
    return "";
  }
}

function hostPublicKey(paths: LabPaths, host: string): string {
  return readFileSync(join(hostDir(paths, host), "upper", "etc", "ssh", "ssh_host_ed25519_key.pub"), "utf8");
}

function writeAccessFiles(paths: LabPaths, state: LabState): void {
  const ordered = state.hosts;
  writeFileSync(
    paths.knownHosts,
    renderKnownHosts(ordered.map((host) => ({ address: host.address, publicKey: hostPublicKey(paths, host.name) }))),
  );
  writeFileSync(paths.inventory, renderInventory(ordered, paths.privateKey, paths.knownHosts, state.name));
}

/** Brings the lab up (idempotent); one `lab up`/`lab down` per lab at a time. */
export async function labUp(options: LabUpOptions): Promise<LabInfo> {
  checkLabName(options.name);
  const paths = labPaths(options.name, options.stateRoot);
  preflight(options.init ?? "light", options.nat ?? false, paths.root);
  const unlock = await acquireLock(labLockDir(paths), `lab ${options.name}`, 20 * 60_000);
  try {
    return await bringUp(options, paths);
  } finally {
    unlock();
  }
}

async function bringUp(options: LabUpOptions, paths: LabPaths): Promise<LabInfo> {
  const { name } = options;
  await checkOwnership(paths, name);
  const init = options.init ?? "light";
  if (init !== "light" && init !== "systemd") throw new OptionsError(`unknown --init '${String(init)}'`, { hint: "use light or systemd" });
  if (options.packages?.length && init !== "systemd") {
    throw new OptionsError("--packages applies to --init systemd only", { hint: "light hosts use the machine's own packages" });
  }
  const nat = options.nat ?? false;
  const subnet = resolveSubnet(name, options.subnet);
  const underlay = options.underlay ? underlaySubnet(subnet) : undefined;
  const planned = planFor(options, subnet, underlay);

  // what is running already, and what a dead lab left behind
  let previous = readState(paths);
  const up = previous ? await hostsUp(previous) : new Set<string>();
  if (previous && up.size > 0) checkCompatible(previous, subnet, init, underlay, options.packages ?? []);
  if (up.size === 0 && (previous !== undefined || (await hasLeftovers(paths, name)))) {
    await teardownLab(paths, name, { keepKey: true });
    previous = undefined;
  }
  const wanted = new Set(planned.map((host) => host.name));
  const kept: HostState[] = [];
  for (const host of previous?.hosts ?? []) {
    const plan = planned.find((p) => p.name === host.name);
    if (up.has(host.name) && plan && formatAddress(plan.address) === host.address && wanted.has(host.name)) kept.push(host);
    else await teardownHost(paths, host, previous?.init ?? init);
  }

  const bridge = bridgeName(name);
  const underlayBridge = underlay ? underlayBridgeName(name) : undefined;
  await checkNoCollision(subnet, [bridge], "the lab subnet");
  if (underlay && underlayBridge) await checkNoCollision(underlay, [underlayBridge], "the underlay subnet");

  const authorizedKey = ensureLabKey(paths, name);
  mkdirSync(paths.hostsDir, { recursive: true });
  writeFileSync(paths.initScript, LIGHT_INIT_SCRIPT, { mode: 0o755 });
  writeFileSync(paths.systemdScript, SYSTEMD_LAUNCH_SCRIPT, { mode: 0o755 });
  const packages = [...new Set(options.packages ?? [])].sort();
  const rootfs = init === "systemd" ? await ensureRootfs(paths.root, packages) : undefined;
  await ensureBridge(bridge, subnet, machineAddress(subnet), paths.dir);
  if (underlay && underlayBridge) await ensureBridge(underlayBridge, underlay, undefined, paths.dir);
  const network: LabNetwork = {
    subnet,
    bridge,
    underlay: underlay && underlayBridge ? { subnet: underlay, bridge: underlayBridge } : undefined,
    gateway: nat ? machineAddress(subnet) : undefined,
  };

  const hosts = new Map<string, HostState>(kept.map((host) => [host.name, host]));
  let state: LabState = {
    version: 1,
    name,
    subnet: formatSubnet(subnet),
    underlaySubnet: underlay ? formatSubnet(underlay) : undefined,
    init,
    bridge,
    underlayBridge,
    nat: previous?.nat,
    packages: init === "systemd" ? packages : undefined,
    hosts: [...hosts.values()],
  };
  const save = (): void => {
    state = { ...state, hosts: planned.map((p) => hosts.get(p.name)).filter((h): h is HostState => h !== undefined) };
    writeState(paths, state);
  };
  save();

  const ctx: CreateContext = {
    paths,
    name,
    network,
    hierarchies: machineHierarchies(),
    modulesIndex: machineHasModules() ? undefined : await ensureModulesIndex(paths.root),
    authorizedKey,
    peers: planned.map((host) => ({ name: host.name, address: formatAddress(host.address) })),
    rootfs,
  };
  const missing = planned.filter((host) => !hosts.has(host.name));
  const queue = new PQueue({ concurrency: options.concurrency ?? 8 });
  const failures: unknown[] = [];
  await Promise.all(
    missing.map((host) =>
      queue.add(async () => {
        try {
          const made = ctx.rootfs === undefined ? await createLightHost(ctx, host) : await createSystemdHost(ctx, host, ctx.rootfs);
          hosts.set(host.name, made);
          save();
        } catch (error) {
          failures.push(error);
        }
      }),
    ),
  );
  if (failures.length > 0) throw failures[0];

  // NAT is a lab-wide setting: rules and every host's default route follow this run's flag
  if (nat) {
    state = { ...state, nat: await setUpNat(name, network, state.nat) };
  } else if (state.nat) {
    await deleteNat(state.nat.table);
    state = { ...state, nat: undefined };
  }
  for (const host of kept) await setDefaultRoute(nsenterNet({ pid: host.init.pid }), network.gateway);
  writeState(paths, state);

  await waitUntilReachable(state.hosts.filter((host) => missing.some((m) => m.name === host.name)), name);
  writeAccessFiles(paths, state);
  return labInfo(paths, state);
}

async function waitUntilReachable(hosts: readonly HostState[], lab: string): Promise<void> {
  const deadline = Date.now() + 30_000 + hosts.length * 300;
  const results = await Promise.all(hosts.map(async (host) => ((await waitForSsh(host.address, deadline)) ? undefined : host)));
  const silent = results.filter((host): host is HostState => host !== undefined);
  if (silent.length > 0) {
    throw new RunbookError("runtime", `lab ${lab}: sshd did not answer on ${silent.map((h) => `${h.name} (${h.address})`).join(", ")}`, {
      hint: `see the host's init.log under the lab's hosts/ directory; \`runbook lab down --name ${lab}\` cleans up`,
    });
  }
}
