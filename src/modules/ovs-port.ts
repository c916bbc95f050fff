/**
 * ovs_port: a port on an Open vSwitch bridge with its interface type, options (exact: options
 * not listed are removed), MTU and `protected` flag. A port with differing settings is corrected
 * with `set interface`/`set port`, a port on another bridge is moved, an absent one deleted with
 * `--if-exists del-port`. Everything needed happens in one ovs-vsctl transaction.
 */
import { z } from "zod";
import { defineModule, type Effect, type Plan } from "./types.js";
import { RUNBOOK_COLLECTION } from "./names.js";
import { linkSubject, newLink } from "./support/ip-json.js";
import { extraMapKeys, interfaceType, mapSetWords, setWord, transaction, type OvsRow, type OvsValue } from "./support/ovs.js";
import { portFact, portSubject, type PortState } from "./support/ovs-snapshot.js";
import { change, ok } from "./support/plan.js";
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

/** The port as the steps leave it: on this bridge, with the given settings over its current ones. */
function portAfter(args: Args, current: PortState): PortState {
  const keep = current.bridge === args.bridge;
  const port: Record<string, OvsValue> = { ...(keep ? current.port : undefined), name: args.port };
  if (args.protected !== undefined) port["protected"] = args.protected;
  const iface: Record<string, OvsValue> = { ...(keep ? current.iface : undefined), name: args.port, type: args.type === "system" ? "" : args.type, options: args.options };
  if (args.mtu_request !== undefined) iface["mtu_request"] = args.mtu_request;
  return { bridge: args.bridge, port, iface };
}

/** The port's new state; an internal port is also a new link of the host (down, as OVS makes it). */
function portEffects(args: Args, current: PortState): Effect[] {
  const effects: Effect[] = [{ kind: "thing", subject: portSubject(args.bridge, args.port), after: portAfter(args, current) }];
  if (current.bridge !== undefined && current.bridge !== args.bridge) effects.push({ kind: "thing", subject: portSubject(current.bridge, args.port), after: null });
  if (args.type === "internal" && current.iface === undefined) effects.push({ kind: "thing", subject: linkSubject(args.port), after: newLink(args.port, "openvswitch", { mtu: args.mtu_request ?? 1500 }) });
  return effects;
}

function planPort(args: Args, current: PortState): Plan {
  const onBridge = current.bridge;
  if (args.state === "absent") {
    if (onBridge !== args.bridge) return ok(`${args.port} is not on ${args.bridge}`);
    const effects: Effect[] = [{ kind: "thing", subject: portSubject(args.bridge, args.port), after: null }];
    if (interfaceType(current.iface) === "internal") effects.push({ kind: "thing", subject: linkSubject(args.port), after: null });
    return change([{ kind: "run", argv: ["ovs-vsctl", "--if-exists", "del-port", args.bridge, args.port] }], undefined, effects);
  }
  if (onBridge !== args.bridge) {
    const move = onBridge === undefined ? [] : [["del-port", onBridge, args.port]];
    const commands = [...move, ["add-port", args.bridge, args.port], ...settingCommands(args, undefined, undefined)];
    return change([{ kind: "run", argv: transaction(commands) }], onBridge === undefined ? `${args.port} added` : `${args.port} moved from ${onBridge}`, portEffects(args, current));
  }
  const commands = settingCommands(args, current.iface, current.port);
  if (commands.length === 0) return ok(`${args.port} is as wanted`);
  return change([{ kind: "run", argv: transaction(commands) }], undefined, portEffects(args, current));
}

export const ovsPort = defineModule({
  name: "ovs_port",
  collection: RUNBOOK_COLLECTION,
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
  facts: (args) => ({ port: portFact(args.bridge, args.port) }),
  plan: (args, { port }) => planPort(args, port),
});
