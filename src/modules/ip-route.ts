/**
 * ip_route: one route in the main table, compared with `ip -j route show`. A route is known by
 * its destination and metric (as the kernel knows it); a different gateway or device is
 * corrected with `ip route replace`.
 */
import { z } from "zod";
import { defineModule, type Effect, type Fact, type Plan, type Step } from "./types.js";
import { RUNBOOK_COLLECTION } from "./names.js";
import { normaliseDest, parseRoutes, type RouteState } from "./support/ip-json.js";
import { parsedOnce } from "./support/parse-once.js";
import { change, ok } from "./support/plan.js";
import { requireOk } from "./support/probe-error.js";
import { intArg, IP_ADDRESS, linkName, ROUTE_DEST } from "./support/schema.js";

const schema = z
  .strictObject({
    dest: z
      .string()
      .regex(ROUTE_DEST, "expected 'default' or a network such as 172.17.30.0/24")
      .transform(clearHostBits)
      .describe("The destination: 'default' or a CIDR; IPv4 host bits are cleared (a bridge address 172.17.30.1/24 means 172.17.30.0/24)."),
    via: z.string().regex(IP_ADDRESS, "expected a gateway IP address").optional().describe("The gateway."),
    dev: linkName("The outgoing device.").optional(),
    metric: intArg("The metric (priority); part of the route's identity.").optional(),
    state: z.enum(["present", "absent"]).default("present").describe("absent deletes the route (of this metric, when given)."),
  })
  .refine((args) => args.state === "absent" || args.via !== undefined || args.dev !== undefined, { message: "a present route needs 'via' or 'dev'", path: ["via"] });

type Args = z.output<typeof schema>;

/** 172.17.30.1/24 -> 172.17.30.0/24, so a node's bridge address can name its subnet. */
function clearHostBits(dest: string): string {
  const match = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(dest);
  if (match === null) return dest;
  const prefix = Number(match[5]);
  if (prefix > 32) return dest;
  const address = match.slice(1, 5).reduce((sum, octet) => sum * 256 + Number(octet), 0);
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  const network = (address & mask) >>> 0;
  return `${[24, 16, 8, 0].map((shift) => (network >>> shift) & 255).join(".")}/${prefix}`;
}

function routeWords(args: Args): string[] {
  const words = [args.dest];
  if (args.via !== undefined) words.push("via", args.via);
  if (args.dev !== undefined) words.push("dev", args.dev);
  if (args.metric !== undefined) words.push("metric", String(args.metric));
  return words;
}

/** Same gateway and device; an unset `dev` accepts whatever device the kernel chose for the gateway. */
function matches(args: Args, route: RouteState): boolean {
  return route.via === args.via && (args.dev === undefined || route.dev === args.dev);
}

/** Every ip_route task on a host reads the same `ip -j route show` result. */
const routesOf = parsedOnce(parseRoutes);

/** The main table's routes to `dest` (any metric); the after of `route:DEST` is that list. */
function routesFact(dest: string): Fact<readonly RouteState[]> {
  return {
    argv: ["ip", "-j", "route", "show"],
    subject: `route:${dest}`,
    parse: (result) => routesOf(requireOk(result, "ip route")).filter((route) => route.dest === dest),
    predict: (after) => after as readonly RouteState[],
  };
}

const effect = (dest: string, after: readonly RouteState[]): Effect[] => [{ kind: "thing", subject: `route:${dest}`, after }];

/** The plan for one ip_route task from the routes to its destination. */
function planRoute(args: Args, sameDest: readonly RouteState[]): Plan {
  const dest = normaliseDest(args.dest);
  if (args.state === "absent") {
    const doomed = sameDest.filter((route) => args.metric === undefined || route.metric === args.metric);
    const steps: Step[] = doomed.map((route) => ({ kind: "run", argv: ["ip", "route", "del", args.dest, "metric", String(route.metric)] }));
    return steps.length === 0 ? ok(`no route to ${args.dest}`) : change(steps, undefined, effect(dest, sameDest.filter((route) => !doomed.includes(route))));
  }
  const metric = args.metric ?? 0;
  const current = sameDest.find((route) => route.metric === metric);
  if (current !== undefined && matches(args, current)) return ok(`route to ${args.dest} is as wanted`);
  // without dev, the kernel picks the gateway's device: a later task that names none accepts it
  const after: RouteState = { dest, via: args.via, dev: args.dev ?? current?.dev, metric };
  return change([{ kind: "run", argv: ["ip", "route", "replace", ...routeWords(args)] }], undefined, effect(dest, [...sameDest.filter((route) => route !== current), after]));
}

export const ipRoute = defineModule({
  name: "ip_route",
  collection: RUNBOOK_COLLECTION,
  summary: "Add, correct and delete routes in the main routing table",
  example: ["- name: The peer node's docker subnet is on docker0", "  ip_route:", "    dest: 172.17.30.0/24", "    dev: docker0"].join("\n"),
  schema,
  facts: (args) => ({ routes: routesFact(normaliseDest(args.dest)) }),
  plan: (args, { routes }) => planRoute(args, routes),
});
