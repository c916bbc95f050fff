/**
 * ovs_port: a port on an Open vSwitch bridge with its interface type, options (exact: options
 * not listed are removed), MTU and `protected` flag. A port with differing settings is corrected
 * with `set interface`/`set port`, a port on another bridge is moved, an absent one deleted with
 * `--if-exists del-port`. Everything needed happens in one ovs-vsctl transaction.
 */
import { z } from "zod";
import { defineLegacyModule, type LegacyPlan } from "./types.js";
import { extraMapKeys, interfaceType, mapSetWords, setWord, transaction, type OvsRow } from "./support/ovs.js";
import { OVS_SNAPSHOT_PROBE, planWithSnapshot } from "./support/ovs-snapshot.js";
import { ovsMap, OVS_PORT_TYPES } from "./support/ovs-args.js";
import { boolish, intArg, ovsName } from "./support/schema.js";

const schema = z.strictObject({
  bridge: ovsName("The bridge the port belongs on."),
  port: ovsName("The port's name (its one interface has the same name)."),
  type: z.enum(OVS_PORT_TYPES).default("system").describe("system: an existing NIC or veth; internal: a port the host sees as a device; vxlan/geneve/gre: a tunnel; patch: a link to another bridge."),
  options: ovsMap("Interface options, exactly (others are removed): remote_ip, key, dst_port, local_ip for tunnels; peer for patch ports.").default({}),
  mtu_request: intArg("The interface's MTU.", 68, 65535).optional(),
  protected: boolish("Protected ports never forward to each other (split horizon: a full tunnel mesh without loops).").optional(),
  state: z.enum(["present", "absent"]).default("present").describe("absent deletes the port from this bridge."),
});

type Args = z.output<typeof schema>;

/** The interface and port settings as set commands; for a new port every given setting. */
function settingCommands(args: Args, iface: OvsRow | undefined, port: OvsRow | undefined): string[][] {
  const ifaceWords: string[] = [];
  if (interfaceType(iface) !== args.type) ifaceWords.push(setWord("type", args.type));
  ifaceWords.push(...mapSetWords("options", args.options, iface?.["options"]));
  if (args.mtu_request !== undefined && iface?.["mtu_request"] !== args.mtu_request) ifaceWords.push(setWord("mtu_request", args.mtu_request));
  const commands: string[][] = [];
  if (ifaceWords.length > 0) commands.push(["set", "interface", args.port, ...ifaceWords]);
  const extra = extraMapKeys(args.options, iface?.["options"]);
  if (extra.length > 0) commands.push(["remove", "interface", args.port, "options", ...extra]);
  if (args.protected !== undefined && (port?.["protected"] ?? false) !== args.protected) commands.push(["set", "port", args.port, setWord("protected", args.protected)]);
  return commands;
}

export const ovsPort = defineLegacyModule({
  name: "ovs_port",
  summary: "Add, correct and delete ports (and tunnels) on Open vSwitch bridges",
  example: [
    "- name: A vxlan tunnel to the peer node",
    "  ovs_port:",
    "    bridge: br-tun",
    "    port: vx-node2",
    "    type: vxlan",
    "    options: { remote_ip: 192.168.0.35 }",
  ].join("\n"),
  schema,
  // The snapshot every ovs_* task on the host shares: N ports cost one ovs-vsctl process.
  probe: () => [OVS_SNAPSHOT_PROBE],
  plan: (args, results): LegacyPlan =>
    planWithSnapshot(results, (ovs) => {
      const onBridge = ovs.bridgeOfPort.get(args.port);
      if (args.state === "absent") {
        if (onBridge !== args.bridge) return { steps: [], msg: `${args.port} is not on ${args.bridge}` };
        return { steps: [{ kind: "run", argv: ["ovs-vsctl", "--if-exists", "del-port", args.bridge, args.port] }] };
      }
      if (onBridge !== args.bridge) {
        const move = onBridge === undefined ? [] : [["del-port", onBridge, args.port]];
        const commands = [...move, ["add-port", args.bridge, args.port], ...settingCommands(args, undefined, undefined)];
        return { steps: [{ kind: "run", argv: transaction(commands) }], msg: onBridge === undefined ? `${args.port} added` : `${args.port} moved from ${onBridge}` };
      }
      const commands = settingCommands(args, ovs.interfaces.get(args.port), ovs.ports.get(args.port));
      if (commands.length === 0) return { steps: [], msg: `${args.port} is as wanted` };
      return { steps: [{ kind: "run", argv: transaction(commands) }] };
    }),
});
