import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ParseError } from "../../../src/errors.js";
import { readInventoryHosts } from "../../../src/lab/inventory-reader.js";
import { renderInventory, renderKnownHosts } from "../../../src/lab/inventory-writer.js";

const dir = mkdtempSync(join(tmpdir(), "lab-inventory-"));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe("readInventoryHosts", () => {
  it("reads YAML groups, nested children and ansible_host", () => {
    const path = file(
      "inv.yaml",
      ["all:", "  hosts:", "    solo:", "      ansible_host: 10.88.0.30", "  children:", "    prod:", "      children:", "        web:", "          hosts:", "            web1:", "              ansible_host: 10.88.0.21", "            web2:", "        db:", "          hosts:", "            web1:", ""].join("\n"),
    );
    const hosts = readInventoryHosts([path]);
    expect(hosts.map((h) => [h.name, h.address, h.groups])).toEqual([
      ["solo", "10.88.0.30", []],
      ["web1", "10.88.0.21", ["db", "web"]],
      ["web2", undefined, ["web"]],
    ]);
    expect(hosts[1]?.where).toEqual({ file: path, line: 10, column: 13 });
  });

  it("reads INI inventories, skipping :vars and :children sections", () => {
    const path = file("hosts", ["# lab", "[web]", "web1 ansible_host=10.88.0.21 ansible_user=x", "[web:vars]", "foo=bar", "[db]", "db1 ansible_host=10.88.0.31", ""].join("\n"));
    expect(readInventoryHosts([path]).map((h) => [h.name, h.address, h.groups, h.where.line])).toEqual([
      ["web1", "10.88.0.21", ["web"], 3],
      ["db1", "10.88.0.31", ["db"], 7],
    ]);
  });

  it("sees ansible_host from host_vars/ beside the inventory (the project's loader)", () => {
    const project = mkdtempSync(join(tmpdir(), "lab-inventory-vars-"));
    writeFileSync(join(project, "hosts.yaml"), "web:\n  hosts:\n    web[1:2]:\n");
    mkdirSync(join(project, "host_vars"));
    writeFileSync(join(project, "host_vars", "web2.yaml"), "ansible_host: 10.88.0.22\n");
    expect(readInventoryHosts([join(project, "hosts.yaml")]).map((h) => [h.name, h.address, h.groups])).toEqual([
      ["web1", undefined, ["web"]],
      ["web2", "10.88.0.22", ["web"]],
    ]);
  });

  it("names a missing file", () => {
    expect(() => readInventoryHosts([join(dir, "nope.yaml")])).toThrow(ParseError);
  });
});

describe("renderInventory", () => {
  it("lists every host with its access variables in its groups", () => {
    const text = renderInventory(
      [
        { name: "web1", address: "10.88.0.21", groups: ["web"] },
        { name: "db1", address: "10.88.0.31", groups: ["db", "web"] },
      ],
      "/p/id_ed25519",
      "/p/known_hosts",
      "default",
    );
    expect(parse(text)).toEqual({
      all: {
        hosts: {
          web1: { ansible_host: "10.88.0.21", ansible_user: "root", ansible_ssh_private_key_file: "/p/id_ed25519", runbook_known_hosts_file: "/p/known_hosts" },
          db1: { ansible_host: "10.88.0.31", ansible_user: "root", ansible_ssh_private_key_file: "/p/id_ed25519", runbook_known_hosts_file: "/p/known_hosts" },
        },
        children: { db: { hosts: { db1: null } }, web: { hosts: { web1: null, db1: null } } },
      },
    });
  });

  it("writes known_hosts lines by address without the key comment", () => {
    expect(renderKnownHosts([{ address: "10.88.0.11", publicKey: "ssh-ed25519 AAAA root@h1\n" }])).toBe("10.88.0.11 ssh-ed25519 AAAA\n");
  });
});
