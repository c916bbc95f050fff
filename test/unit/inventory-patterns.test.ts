import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { OptionsError } from "../../src/errors.js";
import { loadInventories } from "../../src/inventory/load.js";
import { globToRegExp, listUnknownPatternParts, selectHosts } from "../../src/inventory/patterns.js";
import { writeTree } from "./inventory-files.js";

const root = writeTree({
  "hosts.yml": `all:
  hosts:
    solo:
  children:
    k8s:
      children:
        etcd:
          hosts: { k18s01: }
        masters:
          hosts: { k18s01: }
        nodes:
          hosts: { "k18s0[2:3]": }
    web:
      hosts: { "web[1:4].example.com": }
    db:
      hosts: { db1:, web1.example.com: }
    empty:
`,
});
const inventory = loadInventories([join(root, "hosts.yml")]);
const K18S = ["k18s01", "k18s02", "k18s03"];
const WEB = ["web1.example.com", "web2.example.com", "web3.example.com", "web4.example.com"];
const EVERYONE = ["solo", ...K18S, ...WEB, "db1"];

describe("selectHosts", () => {
  it.each<[string, string[]]>([
    ["all", EVERYONE],
    ["*", EVERYONE],
    ["", EVERYONE],
    ["k18s01", ["k18s01"]],
    ["nodes", ["k18s02", "k18s03"]],
    ["ungrouped", ["solo"]],
    ["k8s", K18S],
    ["nodes:masters", K18S],
    ["nodes,masters", K18S],
    ["nodes, masters", K18S],
    ["db:web", [...WEB, "db1"]],
    ["k18s*", K18S],
    ["k18s0[1-2]", ["k18s01", "k18s02"]],
    ["k18s0[!1]", ["k18s02", "k18s03"]],
    ["web?.example.com", WEB],
    ["~k18s0[23]", ["k18s02", "k18s03"]],
    ["~(web|db)1", ["web1.example.com", "db1"]],
    ["~eb|db1", ["db1"]], // anchored at the start, like Python's re.match
    ["k8s:&nodes", ["k18s02", "k18s03"]],
    ["web:&db", ["web1.example.com"]],
    ["k8s:!nodes", ["k18s01"]],
    ["!k8s", ["solo", ...WEB, "db1"]],
    ["&db", ["web1.example.com", "db1"]],
    ["!nodes:&k8s:k18s02:masters", ["k18s01"]],
    ["&nodes:k18s01", []],
    ["empty", []],
    ["nodes[0]", ["k18s02"]],
    ["nodes[-1]", ["k18s03"]],
    ["web[1:2]", ["web2.example.com", "web3.example.com"]],
    ["web[2:]", ["web3.example.com", "web4.example.com"]],
    ["web:!web[0]", ["web2.example.com", "web3.example.com", "web4.example.com"]],
    ["nodes:nosuch", ["k18s02", "k18s03"]],
  ])("%j selects %j", (pattern, expected) => {
    expect(selectHosts(inventory, pattern)).toEqual(expected);
  });

  const where = { file: "site.yml", line: 2, column: 10 };

  it.each<[string, RegExp, RegExp]>([
    ["nodez", /host pattern 'nodez' matches no hosts: 'nodez' is not a host or group/, /did you mean 'nodes'\?/],
    ["k18s1", /'k18s1' is not a host or group/, /did you mean 'k18s01'\?/],
    ["nosuch:&nodes", /'nosuch' is not a host or group/, /known groups: all, ungrouped, k8s/],
    ["nodes:!k8s:zzz", /'zzz' is not a host or group/, /known groups/],
    ["nodes[5]", /no host at index 5 of 'nodes', which has 2 host\(s\)/, /from 0 to 1/],
    ["~web(", /invalid regular expression in host pattern '~web\('/, /./],
  ])("%j is an OptionsError", (pattern, message, hint) => {
    let caught: unknown;
    try {
      selectHosts(inventory, pattern, where);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(OptionsError);
    expect((caught as OptionsError).message).toMatch(message);
    expect((caught as OptionsError).hint).toMatch(hint);
    expect((caught as OptionsError).location).toEqual(where);
  });
});

describe("listUnknownPatternParts", () => {
  it("names each part that matches no host or group, as Ansible warns", () => {
    expect(listUnknownPatternParts(inventory, "nodes:nosuch:!gone:&empty:all")).toEqual(["nosuch", "!gone"]);
  });
});

describe("globToRegExp", () => {
  it.each<[string, string, boolean]>([
    ["web*", "web01", true],
    ["web*", "aweb", false],
    ["w?b", "web", true],
    ["a.b", "axb", false],
    ["[ab]x", "bx", true],
    ["[!ab]x", "cx", true],
    ["[!ab]x", "ax", false],
    ["x[", "x[", true],
    ["(a|b)", "(a|b)", true],
  ])("%j against %j is %s", (glob, name, expected) => {
    expect(globToRegExp(glob).test(name)).toBe(expected);
  });
});
