/**
 * The keyword oracle: each playbook in test/fixtures/keyword-oracle/ records what its keywords
 * did (loop items, included variables, which tasks ran) in a `record` variable and writes it as
 * JSON to `out`. Real ansible-playbook (connection local) and runbook run the same playbook; the
 * two records must be equal. logins.yaml (remote_user, connection) runs over ssh on two hosts of
 * the suite lab instead, with an inventory that names no ansible_user.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ansibleAvailable } from "./helpers/ansible.js";
import { isLabReady } from "./setup/lab.js";
import { afterAll, describe, expect, inject, it } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..");
const FIXTURES = join(ROOT, "test", "fixtures", "keyword-oracle");
const PLAYBOOKS = ["loops.yaml", "include-vars.yaml", "flags.yaml", "roles.yaml", "async.yaml", "include-loops.yaml", "task-forms.yaml", "magic.yaml", "var-types.yaml"];


const work = mkdtempSync(join(tmpdir(), "runbook-kw-oracle-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs one tool on a fresh copy of the fixtures; the record it wrote, parsed, and its output. */
function record(tool: "ansible" | "runbook", playbook: string, inventory = "localhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n"): { record: unknown; output: string } {
  const dir = join(work, `${tool}-${playbook}`);
  cpSync(FIXTURES, dir, { recursive: true });
  writeFileSync(join(dir, "inventory.ini"), inventory);
  const out = join(dir, "record.json");
  const args = ["-i", join(dir, "inventory.ini"), "-e", `out=${out}`, join(dir, playbook)];
  const command = tool === "ansible" ? ["ansible-playbook", ...args] : [process.execPath, join(ROOT, "bin", "runbook.js"), ...args, "--no-progress"];
  const env = { ...process.env, ANSIBLE_NOCOLOR: "1", ANSIBLE_RETRY_FILES_ENABLED: "0", ANSIBLE_CONFIG: join(dir, "no-ansible.cfg") };
  const run = spawnSync(command[0] as string, command.slice(1), { cwd: dir, env, encoding: "utf8", timeout: 400_000 });
  const output = `${run.stdout}\n${run.stderr}`;
  try {
    return { record: JSON.parse(readFileSync(out, "utf8")), output };
  } catch {
    return { record: undefined, output };
  }
}

describe.skipIf(!ansibleAvailable())("keyword oracle (ansible-playbook, connection local)", () => {
  it.each(PLAYBOOKS)("%s records the same as ansible-playbook", { timeout: 900_000 }, (playbook) => {
    const ansible = record("ansible", playbook);
    expect(ansible.record, ansible.output).toBeDefined();
    const runbook = record("runbook", playbook);
    expect(runbook.record, runbook.output).toEqual(ansible.record);
  });
});

const lab = inject("lab");

describe.skipIf(!ansibleAvailable() || !isLabReady(lab))("keyword oracle over ssh (ansible-playbook, two lab hosts)", () => {
  /** The suite lab's last two hosts, with no ansible_user: the play's and the tasks' remote_user decide who logs in. */
  function labInventory(tool: "ansible" | "runbook"): string {
    if (!isLabReady(lab)) return "";
    const hosts = lab.hosts.slice(-2);
    const connection = tool === "ansible"
      ? [`ansible_ssh_common_args='-o UserKnownHostsFile=${lab.knownHostsFile} -o StrictHostKeyChecking=yes'`, "ansible_python_interpreter=/usr/bin/python3"]
      : [`runbook_known_hosts_file=${lab.knownHostsFile}`];
    return `${["[lab]", ...hosts.map((host) => `${host.name} ansible_host=${host.address}`), "[lab:vars]", `ansible_ssh_private_key_file=${lab.keyFile}`, ...connection].join("\n")}\n`;
  }

  it("logins.yaml (remote_user, connection) records the same as ansible-playbook", { timeout: 900_000 }, () => {
    const ansible = record("ansible", "logins.yaml", labInventory("ansible"));
    expect(ansible.record, ansible.output).toBeDefined();
    const runbook = record("runbook", "logins.yaml", labInventory("runbook"));
    expect(runbook.record, runbook.output).toEqual(ansible.record);
  });
});
