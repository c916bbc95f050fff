/**
 * What a `lab up` asks for, checked and resolved: host kind, subnets, packages and the hosts
 * (generated or from inventories); and whether a running lab can take the request as is.
 */
import { OptionsError } from "../errors.js";
import { readInventoryHosts } from "./inventory-reader.js";
import { formatSubnet, parseSubnet, type Subnet } from "./ipv4.js";
import { defaultSubnet, underlaySubnet } from "./naming.js";
import { describeNoHosts, generatedHosts, inventoryHosts, type PlannedHost } from "./plan.js";
import type { InitKind, LabState } from "./state.js";

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

export interface LabRequest {
  readonly name: string;
  readonly init: InitKind;
  readonly nat: boolean;
  readonly subnet: Subnet;
  readonly underlay: Subnet | undefined;
  /** Extra rootfs packages, sorted and unique (systemd hosts only). */
  readonly packages: readonly string[];
  readonly hosts: readonly PlannedHost[];
}

export function resolveRequest(options: LabUpOptions): LabRequest {
  const init = options.init ?? "light";
  if (init !== "light" && init !== "systemd") throw new OptionsError(`unknown --init '${String(init)}'`, { hint: "use light or systemd" });
  if (options.packages?.length && init !== "systemd") {
    throw new OptionsError("--packages applies to --init systemd only", { hint: "light hosts use the machine's own packages" });
  }
  const subnet = resolveSubnet(options.name, options.subnet);
  const underlay = options.underlay ? underlaySubnet(subnet) : undefined;
  return {
    name: options.name,
    init,
    nat: options.nat ?? false,
    subnet,
    underlay,
    packages: [...new Set(options.packages ?? [])].sort(),
    hosts: planFor(options, subnet, underlay),
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

/** A running lab keeps its subnet, host kind, underlay and rootfs: changing them needs a `lab down`. */
export function checkCompatible(state: LabState, request: LabRequest): void {
  const differs: string[] = [];
  if (request.init === "systemd" && (state.packages ?? []).join(",") !== request.packages.join(",")) {
    differs.push(`--packages ${(state.packages ?? []).join(",") || "(none)"}`);
  }
  if (state.subnet !== formatSubnet(request.subnet)) differs.push(`subnet ${state.subnet}`);
  if (state.init !== request.init) differs.push(`--init ${state.init}`);
  if ((state.underlaySubnet !== undefined) !== (request.underlay !== undefined)) differs.push(state.underlaySubnet ? "--underlay" : "no --underlay");
  if (differs.length > 0) {
    throw new OptionsError(`lab ${state.name} is up with ${differs.join(", ")}`, {
      hint: `run \`runbook lab down --name ${state.name}\` first to change it`,
    });
  }
}

