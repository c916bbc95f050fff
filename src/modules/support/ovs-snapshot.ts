/**
 * One read of the whole Open vSwitch database for every ovs_* task on a host.
 *
 * All ovs_bridge, ovs_port and ovs_ports tasks probe with the SAME command, which lists the
 * Bridge, Port and Interface tables with every column any of them compares. The executor's
 * probe cache keys results by the exact command and sends identical probes once, so a role with
 * a dozen ovs tasks starts one ovs-vsctl process per host instead of one per table and row
 * (process starts are most of a no-change run's cost on the host). Each plan then picks its own
 * bridge, port or interface out of the snapshot. A missing row is simply not in it.
 */
import type { Fact, Probe, ProbeResult } from "../types.js";
import { interfaceType, parseOvsTable, type OvsRow, type OvsValue } from "./ovs.js";
import { parsedOnce } from "./parse-once.js";
import { ProbeError } from "./probe-error.js";

/** The columns each table is read with: the union of what the three modules compare. */
const BRIDGE_COLUMNS = ["name", "ports", "datapath_type", "fail_mode", "other_config", "rstp_enable", "stp_enable"];
const PORT_COLUMNS = ["_uuid", "name", "protected"];
const INTERFACE_COLUMNS = ["name", "type", "options", "mtu_request"];

/**
 * `ovs-vsctl --format=json -- --columns=... list Bridge -- ... list Port -- ... list Interface`:
 * one process, one database transaction, three JSON tables, one per line.
 */
export const OVS_SNAPSHOT_PROBE: Probe = {
  argv: [
    "ovs-vsctl", "--format=json",
    "--", `--columns=${BRIDGE_COLUMNS.join(",")}`, "list", "Bridge",
    "--", `--columns=${PORT_COLUMNS.join(",")}`, "list", "Port",
    "--", `--columns=${INTERFACE_COLUMNS.join(",")}`, "list", "Interface",
  ],
};

export interface OvsSnapshot {
  /** Rows by name. Port and interface names are unique across all bridges in OVS. */
  readonly bridges: ReadonlyMap<string, OvsRow>;
  readonly ports: ReadonlyMap<string, OvsRow>;
  readonly interfaces: ReadonlyMap<string, OvsRow>;
  /** A port's bridge (what `ovs-vsctl port-to-br` answers). */
  readonly bridgeOfPort: ReadonlyMap<string, string>;
}

/** A set column as a list: OVSDB writes a one-element set as the bare atom, an empty one as nothing. */
function asList(value: OvsValue): readonly OvsValue[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

const byName = (rows: readonly OvsRow[]): Map<string, OvsRow> => new Map(rows.map((row) => [String(row["name"]), row]));

/** Parses the snapshot probe's output (pure). Throws when it is not three ovs-vsctl JSON tables. */
export function parseOvsSnapshot(stdout: string): OvsSnapshot {
  const tables = stdout.split("\n").filter((line) => line.trim() !== "");
  if (tables.length !== 3) throw new Error(`expected 3 tables from ovs-vsctl, got ${tables.length}`);
  const [bridgeRows, portRows, interfaceRows] = tables.map(parseOvsTable) as [OvsRow[], OvsRow[], OvsRow[]];
  const portNameOfUuid = new Map(portRows.map((row) => [String(row["_uuid"]), String(row["name"])]));
  const bridgeOfPort = new Map<string, string>();
  for (const bridge of bridgeRows) {
    for (const uuid of asList(bridge["ports"])) {
      const port = portNameOfUuid.get(String(uuid));
      if (port !== undefined) bridgeOfPort.set(port, String(bridge["name"]));
    }
  }
  return { bridges: byName(bridgeRows), ports: byName(portRows), interfaces: byName(interfaceRows), bridgeOfPort };
}

/** The ports of `bridge` by name, sorted, without the bridge's own local port (as `ovs-vsctl list-ports`). */
export function portsOf(snapshot: OvsSnapshot, bridge: string): string[] {
  return [...snapshot.bridgeOfPort]
    .filter(([port, owner]) => owner === bridge && port !== bridge)
    .map(([port]) => port)
    .sort();
}

const HINT = "is openvswitch-switch installed and running?";

const snapshotOf = parsedOnce(parseOvsSnapshot);

/** The snapshot from the probe's result; a ProbeError in ovs-vsctl's own words (and a hint) when it could not give one. */
export function readSnapshot(result: ProbeResult): OvsSnapshot {
  if (result.rc !== 0) throw new ProbeError(`ovs-vsctl failed: ${result.stderr.trim() || `exit ${result.rc}`} (${HINT})`);
  try {
    return snapshotOf(result);
  } catch (error) {
    throw new ProbeError(`ovs-vsctl gave unreadable output: ${(error as Error).message}`);
  }
}

/**
 * A bridge as the ovs_* modules compare it; also the `after` of an `ovs-bridge:NAME` thing.
 * `ports`: its ports by name with their interface types (its own local port left out).
 */
export interface BridgeState {
  readonly row: OvsRow;
  /** The mtu_request of the bridge's own (internal) interface. */
  readonly mtu: OvsValue;
  readonly ports: Readonly<Record<string, string>>;
}

export const bridgeSubject = (bridge: string): string => `ovs-bridge:${bridge}`;
export const portSubject = (bridge: string, port: string): string => `ovs-port:${bridge}/${port}`;

/** The bridge named `bridge` (null when there is none), from the shared snapshot; a predicted bridge stands in for it. */
export function bridgeFact(bridge: string): Fact<BridgeState | null> {
  return {
    ...OVS_SNAPSHOT_PROBE,
    subject: bridgeSubject(bridge),
    parse: (result) => {
      const snapshot = readSnapshot(result);
      const row = snapshot.bridges.get(bridge);
      if (row === undefined) return null;
      const ports = Object.fromEntries(portsOf(snapshot, bridge).map((port) => [port, interfaceType(snapshot.interfaces.get(port))]));
      return { row, mtu: snapshot.interfaces.get(bridge)?.["mtu_request"], ports };
    },
    predict: (after) => after as BridgeState | null,
  };
}

/** A port as ovs_port compares it; also the `after` of an `ovs-port:BRIDGE/PORT` thing. `bridge`: where it is, if anywhere. */
export interface PortState {
  readonly bridge: string | undefined;
  readonly port: OvsRow | undefined;
  readonly iface: OvsRow | undefined;
}

/** Port `port` wherever it is (as ovs_port asks about it for `bridge`); a predicted port stands in for it. */
export function portFact(bridge: string, port: string): Fact<PortState> {
  return {
    ...OVS_SNAPSHOT_PROBE,
    subject: portSubject(bridge, port),
    parse: (result) => {
      const snapshot = readSnapshot(result);
      return { bridge: snapshot.bridgeOfPort.get(port), port: snapshot.ports.get(port), iface: snapshot.interfaces.get(port) };
    },
    // null: the port was deleted
    predict: (after) => (after as PortState | null) ?? { bridge: undefined, port: undefined, iface: undefined },
  };
}
