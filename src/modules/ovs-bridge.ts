/**
 * ovs_bridge: an Open vSwitch bridge and the bridge settings the roles need, read from the
 * database and changed only where they differ: one `ovs-vsctl --may-exist add-br B -- set
 * bridge B ...` carrying just the differing columns, never an unconditional set.
 */
import { z } from "zod";
import { defineLegacyModule, type LegacyPlan, type Step } from "./types.js";
import { mapSetWords, setWord, transaction, type OvsRow } from "./support/ovs.js";
import { OVS_SNAPSHOT_PROBE, planWithSnapshot } from "./support/ovs-snapshot.js";
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

export const ovsBridge = defineLegacyModule({
  name: "ovs_bridge",
  summary: "Create, configure and delete Open vSwitch bridges",
  example: ["- name: The tunnel bridge", "  ovs_bridge:", "    bridge: br-tun", "    datapath_type: netdev", "    mtu_request: 1450"].join("\n"),
  schema,
  // The snapshot every ovs_* task on the host shares (one ovs-vsctl process for all of them).
  probe: () => [OVS_SNAPSHOT_PROBE],
  plan: (args, results): LegacyPlan =>
    planWithSnapshot(results, (ovs) => {
      const row = ovs.bridges.get(args.bridge);
      if (args.state === "absent") {
        return row === undefined ? { steps: [], msg: `no bridge ${args.bridge}` } : { steps: [{ kind: "run", argv: ["ovs-vsctl", "--if-exists", "del-br", args.bridge] }] };
      }
      const words = bridgeWords(args, row);
      // The bridge's own (internal) interface carries its MTU.
      const mtu = ovs.interfaces.get(args.bridge)?.["mtu_request"];
      const mtuWords = args.mtu_request !== undefined && mtu !== args.mtu_request ? [setWord("mtu_request", args.mtu_request)] : [];
      if (row !== undefined && words.length === 0 && mtuWords.length === 0) return { steps: [], msg: `${args.bridge} is as wanted` };
      const commands = [["--may-exist", "add-br", args.bridge]];
      if (words.length > 0) commands.push(["set", "bridge", args.bridge, ...words]);
      if (mtuWords.length > 0) commands.push(["set", "interface", args.bridge, ...mtuWords]);
      const step: Step = { kind: "run", argv: transaction(commands) };
      return { steps: [step], msg: row === undefined ? `${args.bridge} created` : `set ${[...words, ...mtuWords].join(" ")}` };
    }),
});
