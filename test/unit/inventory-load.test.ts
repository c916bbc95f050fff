import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadInventories } from "../../src/inventory/load.js";
import type { Inventory } from "../../src/inventory/types.js";
import { writeTree } from "./inventory-files.js";

const FIXTURES = join(import.meta.dirname, "../fixtures/inventory");
const K18S = join(FIXTURES, "k18s");

interface Expected {
  hosts: string[];
  groupsMap: Record<string, string[]>;
  groupNames: Record<string, string[]>;
  hostVars: Record<string, Record<string, unknown>>;
}

const expected = JSON.parse(readFileSync(join(FIXTURES, "k18s.expected.json"), "utf8")) as Expected;

/** Host vars without the path variable, which is absolute and machine-dependent. */
function portableVars(inventory: Inventory, host: string): Record<string, unknown> {
  const { ansible_ssh_private_key_file: _key, ...rest } = inventory.hostVars(host);
  return rest;
}

describe.each([
  ["YAML", [join(K18S, "hosts.yml")]],
  ["INI", [join(K18S, "hosts.ini")]],
  ["the directory (both files)", [K18S]],
  ["both files as two -i", [join(K18S, "hosts.yml"), join(K18S, "hosts.ini")]],
])("the k18s sample inventory read as %s", (_name, paths) => {
  const inventory = loadInventories(paths);

  it("has the hosts in definition order", () => {
    expect([...inventory.hosts.keys()]).toEqual(expected.hosts);
  });

  it("has Ansible's groups map", () => {
    expect(inventory.groupsMap()).toEqual(expected.groupsMap);
  });

  it.each(expected.hosts)("gives %s its group_names and merged variables", (host) => {
    expect(inventory.groupNames(host)).toEqual(expected.groupNames[host]);
    expect(portableVars(inventory, host)).toEqual(expected.hostVars[host]);
  });

  it("resolves a relative key file against the inventory directory", () => {
    expect(inventory.hostVars("k18s02")["ansible_ssh_private_key_file"]).toBe(join(K18S, "keys/k18s_ed25519"));
  });
});

describe("hosts and groups", () => {
  it("records where a host was first defined", () => {
    const inventory = loadInventories([join(K18S, "hosts.ini")]);
    expect(inventory.hosts.get("k18s02")?.where).toEqual({ file: join(K18S, "hosts.ini"), line: 9, column: 1 });
  });

  it("lists direct hosts and children per group", () => {
    const inventory = loadInventories([join(K18S, "hosts.yml")]);
    expect(inventory.groups.get("k8s")).toEqual({ name: "k8s", hosts: [], children: ["etcd", "masters", "nodes"] });
    expect(inventory.groups.get("all")?.children).toEqual(["ungrouped", "etcd", "masters", "nodes", "k8s"]);
    expect(inventory.groups.get("nodes")).toEqual({ name: "nodes", hosts: ["k18s02", "k18s03"], children: [] });
  });
});

interface Case {
  name: string;
  files: Record<string, string>;
  /** Inventory paths, relative to the tree; default the first file. */
  paths?: string[];
  groupsMap?: Record<string, string[]>;
  hostVars?: Record<string, Record<string, unknown>>;
  groupNames?: Record<string, string[]>;
}

const YAML_CASES: Case[] = [
  {
    name: "nested children to any depth, null host entries and null groups",
    files: {
      "inv.yml": "all:\n  children:\n    a:\n      children:\n        b:\n          children:\n            c:\n              hosts:\n                h1:\n                h2: null\n    empty:\n",
    },
    groupsMap: { all: ["h1", "h2"], ungrouped: [], a: ["h1", "h2"], b: ["h1", "h2"], c: ["h1", "h2"], empty: [] },
    groupNames: { h1: ["a", "b", "c"] },
  },
  {
    name: "hosts directly under all are ungrouped; top-level groups other than all",
    files: { "inv.yaml": "all:\n  hosts:\n    solo:\n      x: 1\nweb:\n  hosts:\n    w1:\n" },
    groupsMap: { all: ["solo", "w1"], ungrouped: ["solo"], web: ["w1"] },
    groupNames: { solo: ["ungrouped"], w1: ["web"] },
    hostVars: { solo: { x: 1 }, w1: {} },
  },
  {
    name: "host ranges, alphabetic ranges and steps, host:port",
    files: { "inv.yml": "all:\n  hosts:\n    web[01:03]:\n    db-[a:c]:\n    10.0.0.[1:5:2]:\n    ssh.example:2222:\n" },
    groupsMap: {
      all: ["web01", "web02", "web03", "db-a", "db-b", "db-c", "10.0.0.1", "10.0.0.3", "10.0.0.5", "ssh.example"],
      ungrouped: ["web01", "web02", "web03", "db-a", "db-b", "db-c", "10.0.0.1", "10.0.0.3", "10.0.0.5", "ssh.example"],
    },
    hostVars: { "ssh.example": { ansible_port: 2222 } },
  },
  {
    name: "a host in two groups collects the variables of both; a lone string section names one entry",
    files: { "inv.yml": "all:\n  children:\n    a:\n      hosts: h\n      vars: { va: 1 }\n    b:\n      hosts:\n        h: { hv: 2 }\n      vars: { vb: 3 }\n" },
    hostVars: { h: { va: 1, vb: 3, hv: 2 } },
  },
  {
    name: "the same host twice at the same level with the same value (conflicting values are an error: inventory-errors)",
    files: { "inv.yml": "all:\n  children:\n    a:\n      hosts:\n        h: { v: same }\n    b:\n      hosts:\n        h: { v: same }\n" },
    hostVars: { h: { v: "same" } },
  },
];

const INI_CASES: Case[] = [
  {
    name: "hosts before any section are ungrouped; a file without extension is sniffed as INI",
    files: { hosts: "alpha\nbeta:2222 user=admin # comment\n[web]\nw1\n" },
    groupsMap: { all: ["alpha", "beta", "w1"], ungrouped: ["alpha", "beta"], web: ["w1"] },
    hostVars: { beta: { ansible_port: 2222, user: "admin" } },
  },
  {
    name: "Ansible's value typing on host lines (shlex, then Python literals)",
    files: {
      "inv.ini":
        "h a=1 b=1.5 c=True d=true e='two words' f=\"[1, 'x']\" g=\"{'k': 1}\" g2={'k':1} h=None i=0x1F j=022 k=\"'quoted'\" l=-3 m=abc#comment\n",
    },
    hostVars: { h: { a: 1, b: 1.5, c: true, d: "true", e: "two words", f: [1, "x"], g: { k: 1 }, g2: "{k:1}", h: null, i: 31, j: "022", k: "quoted", l: -3, m: "abc" } },
  },
  {
    name: ":vars sections take the rest of the line; quotes keep strings; children and vars of all",
    files: {
      "inv.ini":
        "[web]\nw1\n[db]\nd1\n[prod:children]\nweb\ndb\n[prod:vars]\nmsg = hello world\nport=8080\nquoted='8080'\nflag=False\nlower=yes\n[all:vars]\nglobal=1\n",
    },
    groupsMap: { all: ["w1", "d1"], ungrouped: [], web: ["w1"], db: ["d1"], prod: ["w1", "d1"] },
    hostVars: { w1: { global: 1, msg: "hello world", port: 8080, quoted: "8080", flag: false, lower: "yes" } },
  },
  {
    name: "a child group may be declared after the :children section naming it",
    files: { "inv.ini": "[parent:children]\nlate\n[parent:vars]\nv=1\n[late]\nh1\n" },
    groupsMap: { all: ["h1"], ungrouped: [], parent: ["h1"], late: ["h1"] },
    hostVars: { h1: { v: 1 } },
  },
  {
    name: "ranges in INI",
    files: { "inv.ini": "[web]\nweb[1:3].example.com\n10.0.0.[8:9]\n" },
    groupsMap: { all: ["web1.example.com", "web2.example.com", "web3.example.com", "10.0.0.8", "10.0.0.9"], ungrouped: [], web: ["web1.example.com", "web2.example.com", "web3.example.com", "10.0.0.8", "10.0.0.9"] },
  },
  {
    name: "a group declared in an earlier inventory may be a child in a later INI file",
    files: { "a.yml": "all:\n  children:\n    web:\n      hosts:\n        w1:\n", "b.ini": "[site:children]\nweb\n" },
    paths: ["a.yml", "b.ini"],
    groupNames: { w1: ["site", "web"] },
  },
];

describe.each([
  ["YAML", YAML_CASES],
  ["INI", INI_CASES],
])("%s golden cases", (_format, cases) => {
  it.each(cases)("$name", (testCase) => {
    const root = writeTree(testCase.files);
    const paths = (testCase.paths ?? [Object.keys(testCase.files)[0] ?? ""]).map((path) => join(root, path));
    const inventory = loadInventories(paths);
    if (testCase.groupsMap) expect(inventory.groupsMap()).toEqual(testCase.groupsMap);
    for (const [host, vars] of Object.entries(testCase.hostVars ?? {})) expect(inventory.hostVars(host)).toEqual(vars);
    for (const [host, names] of Object.entries(testCase.groupNames ?? {})) expect(inventory.groupNames(host)).toEqual(names);
  });
});
