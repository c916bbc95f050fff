/**
 * Pure parsers for iproute2's JSON output (`ip -j -d addr show`, `ip -j route show`), as the
 * ip_link and ip_route modules compare it. Only the fields those modules manage are kept;
 * everything else iproute2 prints is ignored.
 */
import type { Fact, Probe } from "../types.js";
import { parsedOnce } from "./parse-once.js";
import { ProbeError } from "./probe-error.js";

export interface LinkState {
  readonly name: string;
  /** linkinfo.info_kind: bridge, veth, vxlan, ...; "" for a plain NIC. */
  readonly kind: string;
  /** Administratively up (the UP flag), not the carrier. */
  readonly up: boolean;
  readonly mtu: number;
  readonly master: string | undefined;
  /** veth: the peer's name (when the peer is in the same namespace). */
  readonly peer: string | undefined;
  readonly vxlan: VxlanState | undefined;
  /** "address/prefix", lower case, without IPv6 link-local ones (see linkAddresses). */
  readonly addresses: readonly string[];
}

export interface VxlanState {
  readonly id: number | undefined;
  readonly remote: string | undefined;
  readonly local: string | undefined;
  readonly dstport: number | undefined;
  readonly dev: string | undefined;
}

function parseJsonArray(text: string): Record<string, unknown>[] {
  const parsed: unknown = JSON.parse(text.trim() === "" ? "[]" : text);
  if (!Array.isArray(parsed)) throw new Error("expected a JSON list from ip -j");
  return parsed.filter((item): item is Record<string, unknown> => typeof item === "object" && item !== null);
}

const asString = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);
const asNumber = (value: unknown): number | undefined => (typeof value === "number" ? value : undefined);
const asRecord = (value: unknown): Record<string, unknown> => (typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {});

/**
 * Every link of `ip -j -d addr show`: one process answers for all the links of the host, with
 * each link's details (kind, master, peer, vxlan settings) and its addresses.
 */
export function parseLinks(stdout: string): LinkState[] {
  return parseJsonArray(stdout).map(linkState);
}

function linkState(link: Record<string, unknown>): LinkState {
  const info = asRecord(link["linkinfo"]);
  const kind = asString(info["info_kind"]) ?? "";
  const flags = Array.isArray(link["flags"]) ? (link["flags"] as unknown[]) : [];
  const data = asRecord(info["info_data"]);
  return {
    name: asString(link["ifname"]) ?? "",
    kind,
    up: flags.includes("UP"),
    mtu: asNumber(link["mtu"]) ?? 0,
    master: asString(link["master"]),
    peer: kind === "veth" ? asString(link["link"]) : undefined,
    vxlan:
      kind === "vxlan"
        ? { id: asNumber(data["id"]), remote: asString(data["remote"]), local: asString(data["local"]), dstport: asNumber(data["port"]), dev: asString(data["link"]) }
        : undefined,
    addresses: linkAddresses(link),
  };
}

/**
 * A link's addresses as "address/prefix", without the IPv6 link-local ones the kernel makes by
 * itself (nobody configures those, so they never count as "other").
 */
function linkAddresses(link: Record<string, unknown>): string[] {
  const infos = Array.isArray(link["addr_info"]) ? (link["addr_info"] as unknown[]) : [];
  return infos
    .map(asRecord)
    .filter((info) => !(info["family"] === "inet6" && info["scope"] === "link"))
    .map((info) => `${asString(info["local"]) ?? ""}/${asNumber(info["prefixlen"]) ?? ""}`.toLowerCase());
}

export interface RouteState {
  /** "default" or a CIDR (host routes get their /32 or /128 added). */
  readonly dest: string;
  readonly via: string | undefined;
  readonly dev: string | undefined;
  readonly metric: number;
}

/** Adds the prefix iproute2 leaves off host routes, so "10.0.0.1" and "10.0.0.1/32" compare equal. */
export function normaliseDest(dest: string): string {
  if (dest === "default" || dest === "0.0.0.0/0") return "default";
  if (dest.includes("/")) return dest.toLowerCase();
  return `${dest.toLowerCase()}/${dest.includes(":") ? 128 : 32}`;
}

/** `ip -j route show`: the main table's routes. */
export function parseRoutes(stdout: string): RouteState[] {
  return parseJsonArray(stdout).map((route) => ({
    dest: normaliseDest(asString(route["dst"]) ?? ""),
    via: asString(route["gateway"]),
    dev: asString(route["dev"]),
    metric: asNumber(route["metric"]) ?? 0,
  }));
}

/**
 * Every link of the host with its details and addresses, in one process. The command is the same
 * for every ip_link task, so the executor's probe cache and batching run it once for all of them.
 */
export const LINKS_PROBE: Probe = { argv: ["ip", "-j", "-d", "addr", "show"] };

const linksOf = parsedOnce(parseLinks);

export const linkSubject = (name: string): string => `link:${name}`;

/**
 * The link `name` (null when there is none) from the shared listing; a predicted link (one an
 * ip_link, ovs_bridge or ovs_port change makes) stands in for it. The after of `link:NAME` is a
 * LinkState, or null for a deleted link.
 */
export function linkFact(name: string): Fact<LinkState | null> {
  return {
    ...LINKS_PROBE,
    subject: linkSubject(name),
    parse: (result) => {
      if (result.rc !== 0) throw new ProbeError(`ip failed: ${result.stderr.trim() || `exit ${result.rc}`}`);
      let links: readonly LinkState[];
      try {
        links = linksOf(result);
      } catch (error) {
        throw new ProbeError(`ip gave unreadable output: ${(error as Error).message}`);
      }
      return links.find((link) => link.name === name) ?? null;
    },
    predict: (after) => after as LinkState | null,
  };
}

/** A link as the kernel makes it, down and without addresses, for the effect of a change that creates it. */
export function newLink(name: string, kind: string, settings: Partial<LinkState> = {}): LinkState {
  return { name, kind, up: false, mtu: 1500, master: undefined, peer: undefined, vxlan: undefined, addresses: [], ...settings };
}
