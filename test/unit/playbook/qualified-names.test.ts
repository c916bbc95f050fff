import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ParseError } from "../../../src/errors.js";
import { moduleCatalog } from "../../../src/modules/registry.js";
import { loadPlaybook } from "../../../src/playbook/load.js";
import { writeTree } from "./helpers.js";

function load(task: string) {
  const dir = writeTree({ "site.yaml": `- hosts: all\n  tasks:\n    - ${task}\n` });
  return loadPlaybook(join(dir, "site.yaml"), { catalog: moduleCatalog, rolesPath: [] }).plays[0]?.tasks[0];
}

describe("fully qualified module names at load, through the registry's catalog", () => {
  it.each([
    ["ansible.posix.sysctl: { name: vm.swappiness, value: 10 }", "sysctl"],
    ["ansible.builtin.sysctl: { name: vm.swappiness, value: 10 }", "sysctl"],
    ["ansible.legacy.user: { name: deploy }", "user"],
    ["ansible.builtin.systemd: { name: ssh, state: started }", "systemd"],
  ])("%s is the task's module %s", (task, module) => {
    expect(load(task)).toMatchObject({ kind: "task", module });
  });

  it("names the right collection for a known module in the wrong one", () => {
    expect(() => load("community.general.sysctl: { name: vm.swappiness, value: 10 }")).toThrow(ParseError);
    try {
      load("community.general.sysctl: { name: vm.swappiness, value: 10 }");
    } catch (error) {
      expect((error as ParseError).message).toMatch(/unknown module 'community.general.sysctl'/);
      expect((error as ParseError).hint).toBe("did you mean 'ansible.posix.sysctl'? (sysctl is in ansible.posix)");
    }
  });
});
