/**
 * playbooks/site.yaml and the cluster roles, without hosts: the playbook loads and lists its
 * tasks for both seed inventories, each role is selectable alone, the roles' defaults are all
 * documented, and the shared /etc/kubernetes/config is the same from the master and node roles.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { main } from "../../src/cli/main.js";

const project = join(import.meta.dirname, "../..");
const site = join(project, "playbooks/site.yaml");
const inventory = (name: string): string => join(project, "inventory", name);
async function runCli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const stdout = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => ((out += String(chunk)), true));
  const stderr = vi.spyOn(process.stderr, "write").mockImplementation((chunk) => ((err += String(chunk)), true));
  try {
    return { code: await main(argv), out, err };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
}

const ROLES = ["common", "etcd", "master", "flannel", "node"];
const NETWORK_ROLES = ["ovs-vxlan", "docker-bridge"];

describe.each(["seed-ovs.yaml", "seed-flannel.yaml", "lab.yaml"])("site.yaml with inventory/%s", (file) => {
  it("passes --syntax-check", async () => {
    const result = await runCli(site, "-i", inventory(file), "--syntax-check");
    expect(result.err).toBe("");
    expect(result.code).toBe(0);
  });

  it("lists the roles' tasks in the seeds' order", async () => {
    const result = await runCli(site, "-i", inventory(file), "--list-tasks");
    expect(result.code).toBe(0);
    const firstTaskOf = (role: string): number => result.out.indexOf(`${role} : `);
    const order = ROLES.map(firstTaskOf);
    for (const position of order) expect(position).toBeGreaterThan(0);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    // the network roles (one may depend on the other) come after flannel and before node
    for (const role of NETWORK_ROLES) {
      expect(firstTaskOf(role), role).toBeGreaterThan(firstTaskOf("flannel"));
      expect(firstTaskOf(role), role).toBeLessThan(firstTaskOf("node"));
    }
  });

  it.each(["common", "etcd", "master", "flannel", "node"])("--role %s lists only that role's tasks", async (role) => {
    const result = await runCli(site, "-i", inventory(file), "--list-tasks", "--role", role);
    expect(result.code).toBe(0);
    const roleTasks = [...result.out.matchAll(/^ {6}(\S+) : /gm)].map((match) => match[1]);
    expect(roleTasks.length).toBeGreaterThan(0);
    expect(new Set(roleTasks)).toEqual(new Set([role]));
  });
});

describe("--list-hosts places the seed hosts in the right plays", () => {
  it("seed-ovs: etcd and master on k18s01, nodes k18s02/03", async () => {
    const result = await runCli(site, "-i", inventory("seed-ovs.yaml"), "--list-hosts");
    expect(result.code).toBe(0);
    const plays = result.out.split(/\n(?=\s*play #)/);
    const hostsOf = (name: string): string[] => {
      const play = plays.find((text) => text.includes(name)) ?? "";
      return [...play.matchAll(/^\s+(k18s0\d)\s*$/gm)].map((match) => match[1] ?? "").sort();
    };
    expect(hostsOf("etcd cluster")).toEqual(["k18s01"]);
    expect(hostsOf("Kubernetes master")).toEqual(["k18s01"]);
    expect(hostsOf("Kubernetes nodes")).toEqual(["k18s02", "k18s03"]);
  });
});

describe("the cluster roles", () => {
  const rolesDir = join(project, "roles");
  const own = ["common", "etcd", "master", "node", "flannel"];

  it.each(own)("%s: every default is documented by a comment above it", (role) => {
    const lines = readFileSync(join(rolesDir, role, "defaults/main.yaml"), "utf8").split("\n");
    const undocumented: string[] = [];
    lines.forEach((line, index) => {
      const key = /^([a-z_][a-z0-9_]*):/.exec(line)?.[1];
      if (key === undefined) return;
      // walk up over the keys (and their continuation lines) grouped under one comment
      let above = index - 1;
      while (above >= 0 && (/^[a-z_][a-z0-9_]*:/.test(lines[above] ?? "") || /^\s+\S/.test(lines[above] ?? ""))) above--;
      if (!(lines[above] ?? "").startsWith("#")) undocumented.push(key);
    });
    expect(undocumented).toEqual([]);
  });

  it.each(own)("%s: has tasks, handlers, defaults, vars and meta", (role) => {
    const parts = readdirSync(join(rolesDir, role)).sort();
    expect(parts).toEqual(expect.arrayContaining(["defaults", "handlers", "meta", "tasks", "vars"]));
  });

  it("master and node write the same shared /etc/kubernetes/config", () => {
    const master = readFileSync(join(rolesDir, "master/templates/config.j2"), "utf8");
    const node = readFileSync(join(rolesDir, "node/templates/config.j2"), "utf8");
    expect(node).toBe(master);
    const defaultsOf = (role: string): string => readFileSync(join(rolesDir, role, "defaults/main.yaml"), "utf8");
    for (const key of ["kube_logtostderr", "kube_log_level", "kube_allow_priv", "kube_master_url", "kube_api_port", "kube_config_dir", "kube_bin_dir"]) {
      const line = (text: string): string | undefined => text.split("\n").find((candidate) => candidate.startsWith(`${key}:`));
      expect(line(defaultsOf("master")), key).toBeDefined();
      expect(line(defaultsOf("node")), key).toBe(line(defaultsOf("master")));
    }
  });
});
