/**
 * ip_link: a network link (bridge, veth pair, vxlan, or an existing NIC) with its admin state,
 * MTU, master and addresses, compared with `ip -j -d addr show` so a rerun is empty. Settings
 * iproute2 cannot change in place (a veth's peer, a vxlan's id/remote/local/port/dev) are
 * corrected by deleting and re-adding the link.
 */
import { z } from "zod";
import { defineModule, type Effect, type Plan, type Step } from "./types.js";
import { RUNBOOK_COLLECTION } from "./names.js";
import { linkFact, linkSubject, newLink, type LinkState } from "./support/ip-json.js";
import { change, fail, ok } from "./support/plan.js";
import { boolish, intArg, IP_ADDRESS, IP_CIDR, linkName, stringList } from "./support/schema.js";

const schema = z
  .strictObject({
    name: linkName("The link's name."),
    kind: z.enum(["bridge", "veth", "vxlan", "dummy"]).optional().describe("What to create when the link is missing; leave out to manage an existing NIC."),
    state: z.enum(["present", "absent", "up", "down"]).default("present").describe("present: exists (admin state untouched); up/down: exists and is up/down; absent: deleted."),
    peer: linkName("veth: the other end's name.").optional(),
    vxlan_id: intArg("vxlan: the VNI.", 0, 16777215).optional(),
    remote: z.string().regex(IP_ADDRESS, "expected an IP address").optional().describe("vxlan: the remote tunnel end (unicast)."),
    local: z.string().regex(IP_ADDRESS, "expected an IP address").optional().describe("vxlan: the local tunnel address."),
    dstport: intArg("vxlan: UDP port (default 4789, the IANA port).", 1, 65535).optional(),
    dev: linkName("vxlan: the underlay device.").optional(),
    address: stringList("Addresses in CIDR form (10.0.0.1/24); added when missing.")
      .refine((list) => list.every((cidr) => IP_CIDR.test(cidr)), "expected addresses with their prefix, e.g. 10.0.0.1/24")
      .optional(),
    exclusive: boolish("Also delete addresses not listed in 'address' (IPv6 link-local ones are kept).").default(false),
    mtu: intArg("The MTU.", 68, 65535).optional(),
    master: linkName("The bridge (or bond) this link is enslaved to.").optional(),
  })
  .superRefine((args, ctx) => {
    if (args.kind === "veth" && args.peer === undefined) ctx.addIssue({ code: "custom", path: ["peer"], message: "kind veth needs 'peer' (the other end's name)" });
    if (args.kind !== "veth" && args.peer !== undefined) ctx.addIssue({ code: "custom", path: ["peer"], message: "'peer' is only for kind veth" });
    if (args.kind === "vxlan" && args.vxlan_id === undefined) ctx.addIssue({ code: "custom", path: ["vxlan_id"], message: "kind vxlan needs 'vxlan_id'" });
    for (const key of ["vxlan_id", "remote", "local", "dstport", "dev"] as const) {
      if (args.kind !== "vxlan" && args[key] !== undefined) ctx.addIssue({ code: "custom", path: [key], message: `'${key}' is only for kind vxlan` });
    }
    if (args.exclusive && args.address === undefined) ctx.addIssue({ code: "custom", path: ["exclusive"], message: "'exclusive' needs 'address' (use address: [] to remove every address)" });
  });

type Args = z.output<typeof schema>;

const VXLAN_PORT = 4789;

const ipLink = (...words: string[]): Step => ({ kind: "run", argv: ["ip", "link", ...words] });

function addStep(args: Args): Step {
  if (args.kind === "veth") return ipLink("add", args.name, "type", "veth", "peer", "name", args.peer ?? "");
  if (args.kind === "vxlan") {
    const optional = (word: string, value: string | number | undefined): string[] => (value === undefined ? [] : [word, String(value)]);
    return ipLink(
      "add", args.name, "type", "vxlan", "id", String(args.vxlan_id ?? 0),
      ...optional("remote", args.remote), ...optional("local", args.local),
      "dstport", String(args.dstport ?? VXLAN_PORT), ...optional("dev", args.dev),
    );
  }
  return ipLink("add", args.name, "type", args.kind ?? "");
}

/** Why the existing link must be re-created (iproute2 cannot change these in place), or undefined. */
function recreateReason(args: Args, link: LinkState): string | undefined {
  if (args.kind === "veth" && link.peer !== undefined && link.peer !== args.peer) return `its peer is ${link.peer}`;
  if (args.kind !== "vxlan" || link.vxlan === undefined) return undefined;
  const { vxlan } = link;
  const wanted: [string, unknown, unknown][] = [
    ["id", args.vxlan_id, vxlan.id],
    ["remote", args.remote, vxlan.remote],
    ["local", args.local, vxlan.local],
    ["dstport", args.dstport ?? VXLAN_PORT, vxlan.dstport],
    ["dev", args.dev, vxlan.dev],
  ];
  const differ = wanted.filter(([, want, have]) => want !== have).map(([name, , have]) => `${name} ${String(have ?? "unset")}`);
  return differ.length === 0 ? undefined : `its ${differ.join(", ")} differ`;
}

/** Steps that make an existing (or just created, `link` undefined) link match the arguments. */
function settingSteps(args: Args, link: LinkState | undefined): Step[] {
  const addresses = link?.addresses ?? [];
  const steps: Step[] = [];
  if (args.mtu !== undefined && link?.mtu !== args.mtu) steps.push(ipLink("set", "dev", args.name, "mtu", String(args.mtu)));
  if (args.master !== undefined && link?.master !== args.master) steps.push(ipLink("set", "dev", args.name, "master", args.master));
  if (args.address !== undefined) {
    const wanted = args.address.map((cidr) => cidr.toLowerCase());
    if (args.exclusive) {
      for (const cidr of addresses.filter((have) => !wanted.includes(have))) steps.push({ kind: "run", argv: ["ip", "addr", "del", cidr, "dev", args.name] });
    }
    for (const cidr of wanted.filter((want) => !addresses.includes(want))) steps.push({ kind: "run", argv: ["ip", "addr", "add", cidr, "dev", args.name] });
  }
  const up = link?.up ?? false;
  if (args.state === "up" && !up) steps.push(ipLink("set", "dev", args.name, "up"));
  if (args.state === "down" && up) steps.push(ipLink("set", "dev", args.name, "down"));
  return steps;
}

/** The link once the steps ran (the kernel's defaults for a new one), for check mode. */
function linkAfter(args: Args, link: LinkState | undefined): LinkState {
  const made = link === undefined;
  const base = link ?? newLink(args.name, args.kind ?? "", { mtu: args.kind === "vxlan" ? 1450 : 1500, peer: args.peer, vxlan: args.kind === "vxlan" ? vxlanOf(args) : undefined });
  const wanted = (args.address ?? []).map((cidr) => cidr.toLowerCase());
  const addresses = args.address === undefined ? base.addresses : args.exclusive ? wanted : [...base.addresses, ...wanted.filter((cidr) => !base.addresses.includes(cidr))];
  const up = args.state === "up" ? true : args.state === "down" ? false : !made && base.up;
  return { ...base, up, mtu: args.mtu ?? base.mtu, master: args.master ?? base.master, addresses };
}

function vxlanOf(args: Args): LinkState["vxlan"] {
  return { id: args.vxlan_id, remote: args.remote, local: args.local, dstport: args.dstport ?? VXLAN_PORT, dev: args.dev };
}

/** What a change leaves: this link, and a veth's other end, which comes and goes with it. */
function linkEffects(args: Args, link: LinkState | undefined, recreated: boolean): Effect[] {
  const effects: Effect[] = [{ kind: "thing", subject: linkSubject(args.name), after: linkAfter(args, recreated ? undefined : link) }];
  if (recreated && link?.peer !== undefined) effects.push({ kind: "thing", subject: linkSubject(link.peer), after: null });
  if ((link === undefined || recreated) && args.kind === "veth" && args.peer !== undefined) {
    effects.push({ kind: "thing", subject: linkSubject(args.peer), after: newLink(args.peer, "veth", { peer: args.name }) });
  }
  return effects;
}

function deleteEffects(link: LinkState): Effect[] {
  const effects: Effect[] = [{ kind: "thing", subject: linkSubject(link.name), after: null }];
  if (link.peer !== undefined) effects.push({ kind: "thing", subject: linkSubject(link.peer), after: null });
  return effects;
}

/** The plan for one ip_link task from the host's (or the predicted) link. */
function planLink(args: Args, found: LinkState | null): Plan {
  const link = found ?? undefined;
  if (args.state === "absent") return link === undefined ? ok(`${args.name} does not exist`) : change([ipLink("del", "dev", args.name)], undefined, deleteEffects(link));
  if (link === undefined) {
    if (args.kind === undefined) return fail(`link ${args.name} does not exist`, "give 'kind' to create it");
    return change([addStep(args), ...settingSteps(args, undefined)], `${args.name} created`, linkEffects(args, undefined, false));
  }
  if (args.kind !== undefined && link.kind !== args.kind) {
    return fail(`${args.name} exists as ${link.kind === "" ? "a device" : `a ${link.kind}`}, not a ${args.kind}`, "delete it first (state: absent) or choose another name");
  }
  const reason = recreateReason(args, link);
  if (reason !== undefined) {
    return change([ipLink("del", "dev", args.name), addStep(args), ...settingSteps(args, undefined)], `${args.name} re-created: ${reason}`, linkEffects(args, link, true));
  }
  const steps = settingSteps(args, link);
  return steps.length === 0 ? ok(`${args.name} is as wanted`) : change(steps, undefined, linkEffects(args, link, false));
}

export const ipLinkModule = defineModule({
  name: "ip_link",
  collection: RUNBOOK_COLLECTION,
  summary: "Create, configure and delete network links (bridge, veth, vxlan) and their addresses",
  example: [
    "- name: A veth pair from docker0 to the OVS bridge",
    "  ip_link:",
    "    name: veth-docker",
    "    kind: veth",
    "    peer: veth-ovs",
    "    master: docker0",
    "    state: up",
  ].join("\n"),
  schema,
  facts: (args) => ({ link: linkFact(args.name) }),
  plan: (args, { link }) => planLink(args, link),
});
