/**
 * ip_link: a network link (bridge, veth pair, vxlan, or an existing NIC) with its admin state,
 * MTU, master and addresses, compared with `ip -j -d addr show` so a rerun is empty. Settings
 * iproute2 cannot change in place (a veth's peer, a vxlan's id/remote/local/port/dev) are
 * corrected by deleting and re-adding the link.
 */
import { z } from "zod";
import { defineLegacyModule, type LegacyPlan, type Probe, type ProbeResult, type Step } from "./types.js";
import { parseLinks, type LinkState } from "./support/ip-json.js";
import { parsedOnce } from "./support/parse-once.js";
import { planOrFail, ProbeError, requireOk } from "./support/probe-error.js";
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

/**
 * Every link of the host with its details and addresses, in one process. The command is the same
 * for every ip_link task, so the executor's probe cache and batching run it once for all of them.
 */
const LINKS_PROBE: Probe = { argv: ["ip", "-j", "-d", "addr", "show"] };

const linksOf = parsedOnce(parseLinks);

/** The host's links; a ProbeError when `ip` could not list them (not installed, not permitted, odd output). */
function probedLinks(results: readonly ProbeResult[]): readonly LinkState[] {
  const result = requireOk(results[0], "ip");
  try {
    return linksOf(result);
  } catch (error) {
    throw new ProbeError(`ip gave unreadable output: ${(error as Error).message}`);
  }
}

/** The plan for one ip_link task from the host's links. */
function planLink(args: Args, links: readonly LinkState[]): LegacyPlan {
  const link = links.find((candidate) => candidate.name === args.name);
  if (args.state === "absent") {
    return link === undefined ? { steps: [], msg: `${args.name} does not exist` } : { steps: [ipLink("del", "dev", args.name)] };
  }
  if (link === undefined) {
    if (args.kind === undefined) return { steps: [], failed: `link ${args.name} does not exist`, msg: "give 'kind' to create it" };
    return { steps: [addStep(args), ...settingSteps(args, undefined)], msg: `${args.name} created` };
  }
  if (args.kind !== undefined && link.kind !== args.kind) {
    return { steps: [], failed: `${args.name} exists as ${link.kind === "" ? "a device" : `a ${link.kind}`}, not a ${args.kind}`, msg: "delete it first (state: absent) or choose another name" };
  }
  const reason = recreateReason(args, link);
  if (reason !== undefined) {
    return { steps: [ipLink("del", "dev", args.name), addStep(args), ...settingSteps(args, undefined)], msg: `${args.name} re-created: ${reason}` };
  }
  const steps = settingSteps(args, link);
  return { steps, msg: steps.length === 0 ? `${args.name} is as wanted` : undefined };
}

export const ipLinkModule = defineLegacyModule({
  name: "ip_link",
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
  probe: () => [LINKS_PROBE],
  plan: (args, results) => planOrFail(() => planLink(args, probedLinks(results))),
});
