/**
 * iptables: one rule present or absent in a chain, a chain's policy, or a flush, as Ansible's
 * iptables module builds them: the rule's words in Ansible's order, its presence asked with
 * `iptables -C` (exit 0: there), then `-A`/`-I` or `-D` only when that differs.
 */
import { z } from "zod";
import { defineModule, type Effect, type Fact, type Plan, type ProbeResult, type Step } from "./types.js";
import { change, fail, ok } from "./support/plan.js";
import { ProbeError } from "./support/probe-error.js";
import { boolish, stringList } from "./support/schema.js";

const text = (description: string) => z.union([z.string(), z.number()]).transform(String).optional().describe(description);

const schema = z.strictObject({
  table: z.enum(["filter", "nat", "mangle", "raw", "security"]).default("filter").describe("The table."),
  state: z.enum(["present", "absent"]).default("present").describe("Whether the rule is in the chain."),
  action: z.enum(["append", "insert"]).default("append").describe("Where a missing rule goes: the chain's end (-A) or its start / rule_num (-I)."),
  ip_version: z.enum(["ipv4", "ipv6"]).default("ipv4").describe("iptables or ip6tables."),
  chain: z.string().min(1).optional().describe("The chain (INPUT, FORWARD, OUTPUT, PREROUTING, POSTROUTING, or a user chain)."),
  rule_num: text("With action insert: the position."),
  protocol: text("-p (tcp, udp, icmp, all; ! negates)."),
  source: text("-s address[/mask]."),
  destination: text("-d address[/mask]."),
  match: stringList("-m extensions, in order.").default([]),
  jump: z.string().optional().describe("-j target (ACCEPT, DROP, REJECT, LOG, DNAT, a chain...)."),
  log_prefix: z.string().optional().describe("--log-prefix (jump LOG)."),
  log_level: z.string().optional().describe("--log-level (jump LOG)."),
  to_destination: text("--to-destination (DNAT)."),
  destination_ports: stringList("--dports through -m multiport.").default([]),
  to_source: text("--to-source (SNAT)."),
  goto: z.string().optional().describe("-g chain."),
  in_interface: z.string().optional().describe("-i interface."),
  out_interface: z.string().optional().describe("-o interface."),
  source_port: text("--source-port."),
  destination_port: text("--destination-port."),
  to_ports: text("--to-ports (REDIRECT, MASQUERADE)."),
  syn: z.enum(["ignore", "match", "negate"]).default("ignore").describe("--syn (match), ! --syn (negate)."),
  ctstate: stringList("Connection states (conntrack --ctstate, or --state with match state).").default([]),
  limit: text("--limit through -m limit."),
  limit_burst: text("--limit-burst through -m limit."),
  reject_with: z.string().optional().describe("--reject-with (jump REJECT is implied when jump is unset)."),
  icmp_type: z.string().optional().describe("--icmp-type (--icmpv6-type for ipv6)."),
  comment: z.string().optional().describe("--comment through -m comment."),
  wait: text("-w: wait this many seconds for the xtables lock."),
  flush: boolish("Flush the chain (or, without chain, the table).").default(false),
  policy: z.enum(["ACCEPT", "DROP", "QUEUE", "RETURN"]).optional().describe("Set the chain's policy instead of a rule."),
  chain_management: boolish("Create a missing user chain for a rule (state present), delete it (state absent, no rule).").default(false),
});

type IptablesArgs = z.output<typeof schema>;

/** A `flag value` pair; a value starting with `!` negates: `! flag rest`. */
function param(flag: string, value: string | undefined): string[] {
  if (value === undefined) return [];
  return value.startsWith("!") ? ["!", flag, value.slice(1)] : [flag, value];
}

/** The rule's words in Ansible's order (construct_rule), from what this module takes. */
export function ruleWords(args: IptablesArgs): string[] {
  const jump = args.jump ?? (args.log_prefix !== undefined || args.log_level !== undefined ? "LOG" : undefined);
  const words = [...param("-w", args.wait), ...param("-p", args.protocol), ...param("-s", args.source), ...param("-d", args.destination)];
  for (const match of args.match) words.push(...param("-m", match));
  words.push(...param("-j", jump), ...param("--log-prefix", args.log_prefix), ...param("--log-level", args.log_level), ...param("--to-destination", args.to_destination));
  if (args.destination_ports.length > 0) words.push("-m", "multiport", "--dports", args.destination_ports.join(","));
  words.push(...param("--to-source", args.to_source), ...param("-g", args.goto), ...param("-i", args.in_interface), ...param("-o", args.out_interface));
  words.push(...param("--source-port", args.source_port), ...param("--destination-port", args.destination_port), ...param("--to-ports", args.to_ports));
  if (args.syn === "match") words.push("--syn");
  if (args.syn === "negate") words.push("!", "--syn");
  if (args.ctstate.length > 0) {
    if (args.match.includes("conntrack")) words.push("--ctstate", args.ctstate.join(","));
    else if (args.match.includes("state")) words.push("--state", args.ctstate.join(","));
    else words.push("-m", "conntrack", "--ctstate", args.ctstate.join(","));
  }
  if (args.limit !== undefined || args.limit_burst !== undefined) words.push("-m", "limit");
  words.push(...param("--limit", args.limit), ...param("--limit-burst", args.limit_burst));
  if (jump === undefined && args.reject_with !== undefined) words.push("-j", "REJECT");
  words.push(...param("--reject-with", args.reject_with), ...param(args.ip_version === "ipv6" ? "--icmpv6-type" : "--icmp-type", args.icmp_type));
  if (args.comment !== undefined) words.push("-m", "comment", "--comment", args.comment);
  return words;
}

const binary = (args: IptablesArgs): string => (args.ip_version === "ipv6" ? "ip6tables" : "iptables");
const command = (args: IptablesArgs, verb: string, ...rest: string[]): string[] => [binary(args), "-t", args.table, verb, ...(args.chain === undefined ? [] : [args.chain]), ...rest];

/** Whether iptables answered at all: exit 127/126 (missing), or an xtables lock or kernel error (4). */
function answered(result: ProbeResult, what: string): void {
  if (result.rc === 126 || result.rc === 127 || result.rc === 4) throw new ProbeError(`${what}: ${result.stderr.trim() || `exit ${result.rc}`}`);
}

function ruleFact(args: IptablesArgs): Fact<boolean> {
  return {
    argv: command(args, "-C", ...ruleWords(args)),
    subject: `iptables:${args.ip_version}/${args.table}/${args.chain ?? ""}/${ruleWords(args).join(" ")}`,
    parse: (result) => (answered(result, "iptables -C failed"), result.rc === 0),
    predict: (after) => (typeof after === "boolean" ? after : undefined),
  };
}

function listFact(args: IptablesArgs): Fact<{ readonly exists: boolean; readonly policy: string | undefined }> {
  return {
    argv: [binary(args), "-t", args.table, "-n", "-L", ...(args.chain === undefined ? [] : [args.chain])],
    subject: `iptables-chain:${args.ip_version}/${args.table}/${args.chain ?? ""}`,
    parse: (result) => {
      answered(result, "iptables -L failed");
      return { exists: result.rc === 0, policy: /\(policy ([A-Z]+)\)/.exec(result.stdout.split("\n")[0] ?? "")?.[1] };
    },
  };
}

function planRule(args: IptablesArgs, present: boolean, chain: { exists: boolean } | undefined): Plan {
  const wanted = args.state === "present";
  if (present === wanted) return ok(`the rule is ${wanted ? "in" : "not in"} ${args.chain ?? ""}`);
  const words = ruleWords(args);
  const steps: Step[] = [];
  if (wanted && args.chain_management && chain?.exists === false) steps.push({ kind: "run", argv: command(args, "-N") });
  if (!wanted) steps.push({ kind: "run", argv: command(args, "-D", ...words) });
  else if (args.action === "insert") steps.push({ kind: "run", argv: command(args, "-I", ...(args.rule_num === undefined ? [] : [args.rule_num]), ...words) });
  else steps.push({ kind: "run", argv: command(args, "-A", ...words) });
  const effect: Effect = { kind: "thing", subject: ruleFact(args).subject ?? "", after: wanted };
  return change(steps, undefined, [effect]);
}

function planIptables(args: IptablesArgs, facts: { readonly present: boolean | undefined; readonly chain: { exists: boolean; policy: string | undefined } | undefined }): Plan {
  if (!args.flush && args.chain === undefined) return fail("Either chain or flush parameter must be specified.");
  if ((args.log_prefix !== undefined || args.log_level !== undefined) && args.jump !== undefined && args.jump !== "LOG") return fail("Logging options can only be used with the LOG jump target.");
  if (args.flush) return change([{ kind: "run", argv: command(args, "-F") }], undefined, [{ kind: "unknown", what: `the rules of ${args.table}/${args.chain ?? "every chain"}` }]);
  if (args.policy !== undefined) {
    const current = facts.chain?.policy;
    if (current === undefined) return fail("Can't detect current policy");
    return current === args.policy ? ok(`policy is ${current}`) : change([{ kind: "run", argv: command(args, "-P", args.policy) }], `policy is ${current}`, undefined);
  }
  if (args.state === "absent" && ruleWords(args).length === 0) {
    if (facts.chain?.exists !== true) return ok(`no chain ${args.chain ?? ""}`);
    // Ansible reports a present chain as changed, and deletes it only with chain_management.
    return change(args.chain_management ? [{ kind: "run", argv: command(args, "-X") }] : [], undefined, [{ kind: "thing", subject: `iptables-chain:${args.ip_version}/${args.table}/${args.chain ?? ""}`, after: { exists: !args.chain_management, policy: undefined } }]);
  }
  return planRule(args, facts.present ?? false, facts.chain);
}

function needsChain(args: IptablesArgs): boolean {
  return args.chain !== undefined && !args.flush && (args.policy !== undefined || args.chain_management || (args.state === "absent" && ruleWords(args).length === 0));
}

export const iptables = defineModule({
  name: "iptables",
  summary: "Keep one iptables rule in a chain (checked with iptables -C), a chain policy, or flush",
  example: ["- name: SSH in", "  iptables:", "    chain: INPUT", "    protocol: tcp", '    destination_port: "22"', "    jump: ACCEPT", "    comment: ssh"].join("\n"),
  schema,
  facts: (args) => ({
    present: args.chain !== undefined && !args.flush && args.policy === undefined && ruleWords(args).length > 0 ? ruleFact(args) : undefined,
    chain: needsChain(args) ? listFact(args) : undefined,
  }),
  plan: (args, facts) => planIptables(args, facts),
});
