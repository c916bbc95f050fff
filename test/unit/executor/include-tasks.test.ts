/**
 * include_tasks at run time: the run's vault keyring reaches the included file (a role imported
 * there with encrypted vars), and a templated include that includes itself is a located error.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ParseError } from "../../../src/errors.js";
import type { RunEvent } from "../../../src/executor/events.js";
import { defaultExecutorOptions } from "../../../src/executor/options.js";
import { runPlaybook } from "../../../src/executor/run.js";
import { loadInventories } from "../../../src/inventory/load.js";
import { moduleCatalog } from "../../../src/modules/registry.js";
import { loadPlaybook } from "../../../src/playbook/load.js";
import { encryptVault } from "../../../src/vault/format.js";
import { VaultKeyring } from "../../../src/vault/keyring.js";

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "rb-include-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  writeFileSync(join(dir, "hosts.yaml"), "all:\n  hosts:\n    local1: { ansible_connection: local }\n");
  return dir;
}

async function run(dir: string, vault?: VaultKeyring): Promise<RunEvent[]> {
  const events: RunEvent[] = [];
  await runPlaybook({
    playbook: loadPlaybook(join(dir, "playbook.yaml"), { catalog: moduleCatalog, vault }),
    inventory: loadInventories([join(dir, "hosts.yaml")]),
    options: { ...defaultExecutorOptions, vault },
    listeners: [(event) => events.push(event)],
  });
  return events;
}

const play = (tasks: string): string => `- hosts: all\n  gather_facts: false\n  tasks:\n${tasks}`;

describe("include_tasks at run time", () => {
  it("decrypts a vault file reached through the included file", async () => {
    const dir = project({
      "playbook.yaml": play("    - include_tasks: inner.yaml\n"),
      "inner.yaml": "- import_role: { name: secretive }\n",
      "roles/secretive/tasks/main.yaml": "- name: show\n  debug: { msg: \"token={{ token }}\" }\n",
      "roles/secretive/vars/main.yaml": encryptVault(Buffer.from("token: s3cret\n"), "pw"),
    });
    const events = await run(dir, new VaultKeyring("pw"));
    const shown = events.find((event) => event.type === "task-result" && event.task.name === "show");
    expect(shown?.type === "task-result" ? shown.result.status : undefined).toBe("ok");
  });

  it("stops a templated include that includes itself with the chain and the include's location", async () => {
    const dir = project({
      "playbook.yaml": play("    - include_tasks: again.yaml\n      vars: { next: again }\n"),
      "again.yaml": "- include_tasks: \"{{ next }}.yaml\"\n- name: never\n  command: touch APPLIED\n",
    });
    const error = await run(dir).then(() => undefined, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(ParseError);
    expect((error as ParseError).message).toBe("include cycle: again.yaml -> again.yaml");
    expect((error as ParseError).location).toEqual({ file: join(dir, "again.yaml"), line: 1, column: 3 });
  });

  it("includes a looped file once per item, in order, with loop_var and index_var set and when judged per item", async () => {
    const dir = project({
      "playbook.yaml": play(
        [
          "    - include_tasks: step.yaml",
          "      loop: [a, b, c]",
          "      when: step != 'b'",
          "      loop_control: { loop_var: step, index_var: at }",
          "",
        ].join("\n"),
      ),
      "step.yaml": "- name: log\n  shell: \"echo {{ at }}{{ step }} >> {{ playbook_dir }}/log\"\n- name: again\n  shell: \"echo +{{ step }} >> {{ playbook_dir }}/log\"\n",
    });
    await run(dir);
    expect(readFileSync(join(dir, "log"), "utf8")).toBe("0a\n+a\n2c\n+c\n");
  });

  it("reports an include as Ansible 2.14 counts it: ok per item included, one skip when nothing is", async () => {
    const dir = project({
      "playbook.yaml": play(
        [
          "    - include_tasks: t.yaml",
          "    - include_tasks: t.yaml",
          "      when: false",
          "    - include_tasks: t.yaml",
          "      loop: [a, b]",
          "    - include_tasks: t.yaml",
          "      loop: [a, b]",
          "      when: item == 'a'",
          "",
        ].join("\n"),
      ),
      "t.yaml": "- debug: { msg: in }\n",
    });
    const events = await run(dir);
    const included = events.flatMap((event) => (event.type === "task-result" && event.task.module === "include_tasks" ? [`${event.result.status}${event.result.item === undefined ? "" : `:${event.result.item}`}`] : []));
    expect(included).toEqual(["ok", "skipped", "ok:a", "ok:b", "ok:a"]);
    // ansible-playbook 2.14 recaps this play as ok=8 skipped=1 (4 includes ok, 4 debug tasks)
    const recap = events.find((event) => event.type === "run-end");
    expect(recap?.type === "run-end" ? recap.stats.get("local1") : undefined).toMatchObject({ ok: 8, skipped: 1 });
  });

  it("skips an include_role whose condition is false once, and an import_role task by task, as Ansible 2.14 reports them", async () => {
    const dir = project({
      "playbook.yaml": play(["    - include_role: { name: r }", "    - include_role: { name: r }", "      when: false", "    - import_role: { name: r }", "      when: false", ""].join("\n")),
      "roles/r/tasks/main.yaml": "- debug: { msg: one }\n- debug: { msg: two }\n",
    });
    const events = await run(dir);
    const results = events.flatMap((event) => (event.type === "task-result" ? [`${event.task.name}:${event.result.status}`] : []));
    expect(results).toEqual(["debug msg=one:ok", "debug msg=two:ok", "include_role : r:skipped", "debug msg=one:skipped", "debug msg=two:skipped"]);
  });
});
