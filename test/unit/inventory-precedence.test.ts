import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadInventories } from "../../src/inventory/load.js";
import { writeTree } from "./inventory-files.js";

interface Case {
  name: string;
  files: Record<string, string>;
  paths: string[];
  host: string;
  vars: Record<string, unknown>;
}

const CASES: Case[] = [
  {
    name: "all < parent group < child group < host",
    files: {
      "inv.ini": "h v_host=host\n[child]\nh v_host=host v_child=host v_parent=host\n[parent:children]\nchild\n[child:vars]\nv_child=child\nv_parent=child\n[parent:vars]\nv_parent=parent\nv_all=parent\n[all:vars]\nv_all=all\nonly_all=all\n",
    },
    paths: ["inv.ini"],
    host: "h",
    vars: { v_all: "parent", only_all: "all", v_parent: "host", v_child: "host", v_host: "host" },
  },
  {
    name: "a deeper group beats a shallower one whatever the names",
    files: { "inv.yml": "all:\n  children:\n    zz_top:\n      vars: { v: top }\n      children:\n        aa_deep:\n          vars: { v: deep }\n          hosts: { h: }\n" },
    paths: ["inv.yml"],
    host: "h",
    vars: { v: "deep" },
  },
  {
    name: "siblings at the same depth: by name",
    files: { "inv.yml": "all:\n  children:\n    b:\n      hosts: { h: }\n      vars: { v: b }\n    a:\n      hosts: { h: }\n      vars: { v: a }\n" },
    paths: ["inv.yml"],
    host: "h",
    vars: { v: "b" },
  },
  {
    name: "siblings: ansible_group_priority beats the name and is not a variable",
    files: {
      "inv.yml":
        "all:\n  children:\n    b:\n      hosts: { h: }\n      vars: { v: b }\n    a:\n      hosts: { h: }\n      vars: { v: a, ansible_group_priority: 10 }\n",
    },
    paths: ["inv.yml"],
    host: "h",
    vars: { v: "a" },
  },
  {
    name: "group_vars files beat inline group vars; host_vars files beat inline host vars",
    files: {
      "inv.ini": "[web]\nh v=inline_host w=inline_host\n[web:vars]\ng=inline_group\n",
      "group_vars/web.yml": "g: file_group\nv: file_group\n",
      "host_vars/h.yaml": "w: file_host\n",
    },
    paths: ["inv.ini"],
    host: "h",
    vars: { g: "file_group", v: "inline_host", w: "file_host" },
  },
  {
    name: "group_vars/all (a file) beats inline vars of any group, as in Ansible",
    files: { "inv.ini": "[web]\nh\n[web:vars]\nv=inline_web\n", "group_vars/all": "v: file_all\n" },
    paths: ["inv.ini"],
    host: "h",
    vars: { v: "file_all" },
  },
  {
    name: "group_vars/NAME/ directory: files merged in name order, subdirectories, other extensions ignored",
    files: {
      "inv.ini": "[web]\nh\n",
      "group_vars/web/b.yml": "v: b\nonly_b: 1\n",
      "group_vars/web/a.yaml": "v: a\nonly_a: 1\n",
      "group_vars/web/c/nested.yml": "nested: 1\n",
      "group_vars/web/notes.txt": "v: txt\n",
      "group_vars/web/.hidden.yml": "v: hidden\n",
      "group_vars/web/empty.yml": "",
    },
    paths: ["inv.ini"],
    host: "h",
    vars: { v: "b", only_a: 1, only_b: 1, nested: 1 },
  },
  {
    name: "group_vars/NAME without extension wins over NAME.yml (the first found is used)",
    files: { "inv.ini": "[web]\nh\n", "group_vars/web": "v: bare\n", "group_vars/web.yml": "v: yml\nother: 1\n" },
    paths: ["inv.ini"],
    host: "h",
    vars: { v: "bare" },
  },
  {
    name: "merge replaces whole top-level values (hash_behaviour=replace)",
    files: { "inv.yml": "all:\n  vars:\n    cfg: { a: 1, b: 2 }\n  hosts:\n    h:\n      cfg: { a: 9 }\n" },
    paths: ["inv.yml"],
    host: "h",
    vars: { cfg: { a: 9 } },
  },
  {
    name: "two inventories: hosts and groups merge, the later source wins",
    files: {
      "one/hosts.yml": "all:\n  vars: { v: one, only_one: 1 }\n  children:\n    web:\n      hosts:\n        h: { hv: one }\n",
      "one/group_vars/web.yml": "gv: one\ngv_one: 1\n",
      "two/hosts.ini": "[db]\nh hv=two\n[all:vars]\nv=two\n",
      "two/group_vars/web.yml": "gv: two\n",
    },
    paths: ["one/hosts.yml", "two/hosts.ini"],
    host: "h",
    vars: { v: "two", only_one: 1, hv: "two", gv: "two", gv_one: 1 },
  },
  {
    name: "a directory source: its own group_vars/ and every inventory file inside, in name order",
    files: {
      "inv/01-hosts.yml": "all:\n  hosts:\n    h: { v: first }\n",
      "inv/02-more": "[web]\nh v=second\n",
      "inv/README.md": "# not an inventory\n",
      "inv/group_vars/web.yml": "g: dir\n",
    },
    paths: ["inv"],
    host: "h",
    vars: { v: "second", g: "dir" },
  },
];

describe("variable precedence", () => {
  it.each(CASES)("$name", ({ files, paths, host, vars }) => {
    const root = writeTree(files);
    const inventory = loadInventories(paths.map((path) => join(root, path)));
    expect(inventory.hostVars(host)).toEqual(vars);
  });

  it("returns a copy: changing it does not change the inventory", () => {
    const root = writeTree({ "inv.yml": "all:\n  hosts:\n    h: { v: 1 }\n" });
    const inventory = loadInventories([join(root, "inv.yml")]);
    inventory.hostVars("h")["v"] = 2;
    expect(inventory.hostVars("h")).toEqual({ v: 1 });
  });

  it("resolves relative key paths against the file that sets them", () => {
    const root = writeTree({
      "site/hosts.ini": "[web]\nh ansible_ssh_private_key_file=keys/web runbook_known_hosts_file=/abs/known\ng ansible_ssh_private_key_file=~/.ssh/id\n",
    });
    const inventory = loadInventories([join(root, "site/hosts.ini")]);
    expect(inventory.hostVars("h")).toMatchObject({ ansible_ssh_private_key_file: join(root, "site/keys/web"), runbook_known_hosts_file: "/abs/known" });
    expect(inventory.hostVars("g")["ansible_ssh_private_key_file"]).toBe("~/.ssh/id");
  });
});
