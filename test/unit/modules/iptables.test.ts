import { describe, expect, it } from "vitest";
import { iptables, ruleWords } from "../../../src/modules/iptables.js";
import { ok, rc, runGolden } from "./helpers.js";

const words = (args: Record<string, unknown>) => ruleWords(iptables.schema.parse(args));

describe("iptables rule words (Ansible's order)", () => {
  it.each([
    [{ chain: "INPUT", protocol: "tcp", destination_port: 22, jump: "ACCEPT", comment: "ssh" }, ["-p", "tcp", "-j", "ACCEPT", "--destination-port", "22", "-m", "comment", "--comment", "ssh"]],
    [{ chain: "INPUT", destination: "!127.0.0.1", jump: "DROP" }, ["!", "-d", "127.0.0.1", "-j", "DROP"]],
    [{ chain: "INPUT", ctstate: ["ESTABLISHED", "RELATED"], jump: "ACCEPT" }, ["-j", "ACCEPT", "-m", "conntrack", "--ctstate", "ESTABLISHED,RELATED"]],
    [{ chain: "INPUT", match: ["state"], ctstate: "NEW", jump: "ACCEPT" }, ["-m", "state", "-j", "ACCEPT", "--state", "NEW"]],
    [{ chain: "INPUT", protocol: "tcp", destination_ports: ["80", "443"], jump: "ACCEPT" }, ["-p", "tcp", "-j", "ACCEPT", "-m", "multiport", "--dports", "80,443"]],
    [{ chain: "INPUT", reject_with: "tcp-reset" }, ["-j", "REJECT", "--reject-with", "tcp-reset"]],
    [{ chain: "INPUT", log_prefix: "x: ", limit: "5/min" }, ["-j", "LOG", "--log-prefix", "x: ", "-m", "limit", "--limit", "5/min"]],
  ])("%j", (args, want) => {
    expect(words(args)).toEqual(want);
  });
});

describe("iptables plans", () => {
  it("appends a rule iptables -C does not find, and nothing when it does", () => {
    const args = { chain: "INPUT", source: "10.0.0.0/8", jump: "DROP" };
    runGolden(iptables, { name: "missing", args, probes: [rc(1, "", "Bad rule")], expect: { steps: [["iptables", "-t", "filter", "-A", "INPUT", "-s", "10.0.0.0/8", "-j", "DROP"]] } });
    runGolden(iptables, { name: "there", args, probes: [ok()], expect: { steps: [], changed: false } });
  });

  it("inserts at rule_num, deletes with state absent", () => {
    runGolden(iptables, { name: "insert", args: { chain: "INPUT", action: "insert", rule_num: 2, jump: "ACCEPT", in_interface: "lo" }, probes: [rc(1)], expect: { steps: [["iptables", "-t", "filter", "-I", "INPUT", "2", "-j", "ACCEPT", "-i", "lo"]] } });
    runGolden(iptables, { name: "delete", args: { chain: "INPUT", jump: "ACCEPT", in_interface: "lo", state: "absent", ip_version: "ipv6" }, probes: [ok()], expect: { steps: [["ip6tables", "-t", "filter", "-D", "INPUT", "-j", "ACCEPT", "-i", "lo"]] } });
  });

  it("sets a policy only when it differs", () => {
    const listing = (policy: string) => ok(`Chain FORWARD (policy ${policy})\ntarget prot opt source destination\n`);
    runGolden(iptables, { name: "same", args: { chain: "FORWARD", policy: "DROP" }, probes: [listing("DROP")], expect: { steps: [] } });
    runGolden(iptables, { name: "differs", args: { chain: "FORWARD", policy: "DROP" }, probes: [listing("ACCEPT")], expect: { steps: [["iptables", "-t", "filter", "-P", "FORWARD", "DROP"]] } });
  });

  it("creates a missing chain first with chain_management", () => {
    runGolden(iptables, { name: "new chain", args: { chain: "APP", chain_management: true, jump: "RETURN" }, probes: [rc(1), rc(1, "", "No chain")], expect: { steps: [["iptables", "-t", "filter", "-N", "APP"], ["iptables", "-t", "filter", "-A", "APP", "-j", "RETURN"]] } });
  });

  it("no iptables is no answer", () => {
    runGolden(iptables, { name: "missing binary", args: { chain: "INPUT", jump: "ACCEPT" }, probes: [rc(127, "", "iptables: not found")], expect: { failed: /iptables -C failed/ } });
  });
});
