/**
 * ovs_bridge: an Open vSwitch bridge and the bridge settings the roles need, read from the
 * database and changed only where they differ: one `ovs-vsctl --may-exist add-br B -- set
 * bridge B ...` carrying just the differing columns, never an unconditional set.
 */
import { z } from "zod";
import { defineModule, type Effect, type Plan, type Step } from "./types.js";
import { RUNBOOK_COLLECTION } from "./names.js";
import { linkSubject, newLink } from "./support/ip-json.js";
import { mapSetWords, setWord, transaction, type OvsRow, type OvsValue } from "./support/ovs.js";
import { bridgeFact, bridgeSubject, portSubject, type BridgeState } from "./support/ovs-snapshot.js";
import { change, ok } from "./support/plan.js";
import { boolish, intArg, ovsName } from "./support/schema.js";
import { ovsMap } from "./support/ovs-args.js";

const schema = z.strictObject({
  bridge: ovsName("The bridge's name."),
  state: z.enum(["present", "absent"]).default("present").describe("absent deletes the bridge and its ports."),
  datapath_type: z.enum(["system", "netdev"]).optional().describe("system: the kernel datapath; netdev: the userspace one (no kernel module needed)."),
  fail_mode: z.enum(["standalone", "secure"]).optional().describe("Without a controller: standalone acts as a learning switch, secure forwards only by installed flows."),
  other_config: ovsMap("Bridge other_config keys to set (others are left alone), e.g. {rstp-priority: 4096}.").optional(),
  rstp_enable: boolish("Run Rapid Spanning Tree on the bridge.").optional(),
  stp_enable: boolish("Run (classic) Spanning Tree on the bridge.").optional(),
  mtu_request: intArg("MTU of the bridge's own (internal) interface.", 68, 65535).optional(),
});

type Args = z.output<typeof schema>;

const ATOM_COLUMNS = ["datapath_type", "fail_mode", "rstp_enable", "stp_enable"] as const;

/** What an unset (empty) column means: the kernel datapath, standalone, protocols off. */
const UNSET: Readonly<Record<(typeof ATOM_COLUMNS)[number], string | boolean>> = { datapath_type: "system", fail_mode: "standalone", rstp_enable: false, stp_enable: false };

/** The `set bridge` words for the settings that differ (all given ones for a new bridge). */
function bridgeWords(args: Args, row: OvsRow | undefined): string[] {
  const words: string[] = [];
  for (const column of ATOM_COLUMNS) {
    const want = args[column];
    if (want === undefined) continue;
    const have = row?.[column];
    if (row === undefined || (have === undefined || have === "" ? UNSET[column] : have) !== want) words.push(setWord(column, want));
  }
  if (args.other_config !== undefined) words.push(...mapSetWords("other_config", args.other_config, row?.["other_config"]));
  return words;
}

/** The bridge once the change ran, and its own interface as a link (the tap device of a netdev bridge). */
function bridgeEffects(args: Args, bridge: BridgeState | null): Effect[] {
  const row: Record<string, OvsValue> = { ...(bridge?.row ?? { name: args.bridge }) };
  for (const column of ATOM_COLUMNS) if (args[column] !== undefined) row[column] = args[column];
  if (args.other_config !== undefined) row["other_config"] = { ...(bridge?.row["other_config"] as Record<string, string> | undefined), ...args.other_config };
  const after: BridgeState = { row, mtu: args.mtu_request ?? bridge?.mtu, ports: bridge?.ports ?? {} };
  const effects: Effect[] = [{ kind: "thing", subject: bridgeSubject(args.bridge), after }];
  if (bridge === null) {
    const kind = (args.datapath_type ?? "system") === "netdev" ? "tun" : "openvswitch";
    effects.push({ kind: "thing", subject: linkSubject(args.bridge), after: newLink(args.bridge, kind, { mtu: args.mtu_request ?? 1500 }) });
  }
  return effects;
}

/** A deleted bridge takes its ports and its own interface with it. */
function deletedEffects(name: string, bridge: BridgeState): Effect[] {
  return [
    { kind: "thing", subject: bridgeSubject(name), after: null },
    { kind: "thing", subject: linkSubject(name), after: null },
    ...Object.keys(bridge.ports).map((port): Effect => ({ kind: "thing", subject: portSubject(name, port), after: null })),
  ];
}

function planBridge(args: Args, bridge: BridgeState | null): Plan {
  if (args.state === "absent") {
    return bridge === null ? ok(`no bridge ${args.bridge}`) : change([{ kind: "run", argv: ["ovs-vsctl", "--if-exists", "del-br", args.bridge] }], undefined, deletedEffects(args.bridge, bridge));
  }
  const words = bridgeWords(args, bridge?.row);
  // The bridge's own (internal) interface carries its MTU.
  const mtuWords = args.mtu_request !== undefined && bridge?.mtu !== args.mtu_request ? [setWord("mtu_request", args.mtu_request)] : [];
  if (bridge !== null && words.length === 0 && mtuWords.length === 0) return ok(`${args.bridge} is as wanted`);
  const commands = [["--may-exist", "add-br", args.bridge]];
  if (words.length > 0) commands.push(["set", "bridge", args.bridge, ...words]);
  if (mtuWords.length > 0) commands.push(["set", "interface", args.bridge, ...mtuWords]);
  const step: Step = { kind: "run", argv: transaction(commands) };
  return change([step], bridge === null ? `${args.bridge} created` : `set ${[...words, ...mtuWords].join(" ")}`, bridgeEffects(args, bridge));
}

export const ovsBridge = defineModule({
  name: "ovs_bridge",
  collection: RUNBOOK_COLLECTION,
  summary: "Create, configure and delete Open vSwitch bridges",
  example: ["- name: The tunnel bridge", "  ovs_bridge:", "    bridge: br-tun", "    datapath_type: netdev", "    mtu_request: 1450"].join("\n"),
  schema,
  // The snapshot every ovs_* task on the host shares (one ovs-vsctl process for all of them).
  facts: (args) => ({ bridge: bridgeFact(args.bridge) }),
  plan: (args, { bridge }) => planBridge(args, bridge),
});
