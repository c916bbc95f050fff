import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { defaultExecutorOptions } from "../../../src/executor/options.js";
import { preflightCheck } from "../../../src/executor/preflight.js";
import { loadInventories } from "../../../src/inventory/load.js";
import { loadPlaybook } from "../../../src/playbook/load.js";

const dir = mkdtempSync(join(tmpdir(), "rl-preflight-"));
writeFileSync(join(dir, "hosts.yaml"), "all:\n  hosts:\n    a: { app_role: web }\n    b: {}\n");
const inventory = loadInventories([join(dir, "hosts.yaml")]);
let count = 0;

function check(tasks: string, limit?: string): string | undefined {
  const file = join(dir, `p${count++}.yaml`);
  writeFileSync(file, `- hosts: all\n  vars:\n    known: 1\n  tasks:\n${tasks}`);
  const playbook = loadPlaybook(file);
  return preflightCheck({ playbook, inventory, options: { ...defaultExecutorOptions, limit } })?.message;
}

describe("preflightCheck", () => {
  it.each([
    ["a defined variable", "    - command: echo {{ known }}\n", undefined],
    ["an undefined variable", "    - command: echo {{ unknown }}\n", "'unknown' is undefined"],
    ["a host var only one host lacks", "    - command: echo {{ app_role }}\n", "'app_role' is undefined"],
    ["a register used later", "    - command: id\n      register: out\n    - command: echo {{ out.stdout }}\n", undefined],
    ["a set_fact name", "    - set_fact: { later: 1 }\n    - command: echo {{ later }}\n", undefined],
    ["service_facts' fact", "    - service_facts:\n    - command: echo hi\n      when: \"'ssh.service' in services\"\n", undefined],
    ["ansible_facts.services", "    - ansible.builtin.service_facts:\n    - command: echo {{ ansible_facts.services | length }}\n", undefined],
    ["a gathered fact", "    - command: echo {{ ansible_hostname }} {{ facts.os.family }}\n", undefined],
    ["the loop variable", "    - command: echo {{ item }}\n      loop: [1, 2]\n", undefined],
    ["an undefined var beside the loop variable", "    - command: echo {{ item }} {{ nope }}\n      loop: [1, 2]\n", "'nope' is undefined"],
    ["a when that is false for the host", "    - command: echo {{ app_role }}\n      when: app_role is defined\n", undefined],
    ["an undefined variable in when", "    - command: echo hi\n      when: missing_flag\n", "'missing_flag' is undefined"],
    ["a template syntax error", "    - debug:\n        msg: \"{{ known\"\n", "template syntax error"],
    ["a bad expression", "    - command: echo hi\n      when: known ==\n", "template syntax error"],
    ["a block's condition", "    - block:\n        - command: echo {{ nope }}\n      when: false\n", undefined],
    ["inside a block", "    - block:\n        - command: echo {{ nope }}\n", "'nope' is undefined"],
  ])("%s", (_name, tasks, expected) => {
    const message = check(tasks);
    if (expected === undefined) expect(message).toBeUndefined();
    else expect(message).toContain(expected);
  });

  it("checks only the hosts --limit keeps", () => {
    expect(check("    - command: echo {{ app_role }}\n", "a")).toBeUndefined();
    expect(check("    - command: echo {{ app_role }}\n", "b")).toContain("app_role");
  });

  it("points at the line of the failing string", () => {
    const file = join(dir, "located.yaml");
    writeFileSync(file, "- hosts: all\n  tasks:\n    - name: x\n      command: echo {{ nope }}\n");
    const error = preflightCheck({ playbook: loadPlaybook(file), inventory, options: defaultExecutorOptions });
    expect(error?.location).toEqual({ file, line: 4, column: 24 });
  });

  it("leaves a loop alone when another variable needs facts (the demo's common role hit this)", () => {
    const file = join(dir, "lazy-facts.yaml");
    writeFileSync(
      file,
      "- hosts: all\n  vars:\n    family: \"{{ ansible_os_family | lower }}\"\n  tasks:\n    - command: echo {{ item }}\n      loop: [a, b]\n",
    );
    expect(preflightCheck({ playbook: loadPlaybook(file), inventory, options: defaultExecutorOptions })).toBeUndefined();
  });
});
