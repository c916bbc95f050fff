/**
 * ovs_ports: "only these ports of this kind on the bridge" — deletes the ports of a bridge that
 * match a type and a name prefix but are not in `keep`. It pairs with a looped ovs_port task:
 * the loop adds and corrects one tunnel per peer, ovs_ports removes the tunnels of peers that
 * are gone (a node removed from the inventory).
 */
import { z } from "zod";
import { defineModule, type Effect } from "./types.js";
import { RUNBOOK_COLLECTION } from "./names.js";
import { transaction } from "./support/ovs.js";
import { bridgeFact, bridgeSubject, portSubject, type BridgeState } from "./support/ovs-snapshot.js";
import { change, ok } from "./support/plan.js";
import { OVS_PORT_TYPES } from "./support/ovs-args.js";
import { ovsName, stringList } from "./support/schema.js";

const schema = z.strictObject({
  bridge: ovsName("The bridge to clean."),
  keep: stringList("The ports to keep, without name_prefix (e.g. the peer host names); the other matching ports are deleted."),
  name_prefix: z.string().default("").describe("Only ports whose name starts with this are candidates; keep entries get it prepended."),
  type: z.enum(OVS_PORT_TYPES).optional().describe("Only ports whose interface has this type are candidates."),
});

export const ovsPorts = defineModule({
  name: "ovs_ports",
  collection: RUNBOOK_COLLECTION,
  summary: "Delete the ports of an Open vSwitch bridge that are not in a list (e.g. tunnels to removed nodes)",
  example: [
    "- name: No tunnels to nodes that left the group",
    "  ovs_ports:",
    "    bridge: br-tun",
    "    type: vxlan",
    "    name_prefix: vx-",
    '    keep: "{{ groups.nodes }}"',
  ].join("\n"),
  schema,
  // The snapshot every ovs_* task on the host shares (one ovs-vsctl process for all of them).
  facts: (args) => ({ bridge: bridgeFact(args.bridge) }),
  plan: (args, { bridge }) => {
    if (bridge === null) return ok(`no bridge ${args.bridge}`);
    const keep = new Set(args.keep.map((name) => `${args.name_prefix}${name}`));
    const doomed = Object.keys(bridge.ports)
      .filter((name) => name.startsWith(args.name_prefix) && !keep.has(name))
      .filter((name) => args.type === undefined || bridge.ports[name] === args.type);
    if (doomed.length === 0) return ok(`${args.bridge} has no other ports`);
    const ports = Object.fromEntries(Object.entries(bridge.ports).filter(([name]) => !doomed.includes(name)));
    const effects: Effect[] = [
      { kind: "thing", subject: bridgeSubject(args.bridge), after: { ...bridge, ports } satisfies BridgeState },
      ...doomed.map((name): Effect => ({ kind: "thing", subject: portSubject(args.bridge, name), after: null })),
    ];
    return change([{ kind: "run", argv: transaction(doomed.map((name) => ["--if-exists", "del-port", args.bridge, name])) }], `deleted ${doomed.join(", ")}`, effects);
  },
});
