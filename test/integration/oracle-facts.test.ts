/**
 * Facts under Ansible's names: `ansible-playbook` (its setup module) and runbook (its one
 * round-trip script) gather facts from the same lab host; the facts roles read must be equal.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ansibleAvailable } from "./helpers/ansible.js";
import { afterAll, describe, expect, inject, it } from "vitest";
import { isLabReady } from "./setup/lab.js";

const ROOT = join(import.meta.dirname, "..", "..");
const PLAYBOOK = join(ROOT, "test", "fixtures", "facts-oracle", "facts.yaml");
const lab = inject("lab");


const work = mkdtempSync(join(tmpdir(), "runbook-facts-oracle-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function gathered(tool: "ansible" | "runbook", inventory: string): unknown {
  const out = join(work, `${tool}.json`);
  const args = ["-i", inventory, "--limit", "h1", "-e", `out=${out}`, PLAYBOOK];
  const command = tool === "ansible" ? ["ansible-playbook", ...args] : [process.execPath, join(ROOT, "bin", "runbook.js"), ...args, "--no-progress"];
  const env = { ...process.env, ANSIBLE_HOST_KEY_CHECKING: "0", ANSIBLE_NOCOLOR: "1", ANSIBLE_RETRY_FILES_ENABLED: "0" };
  const run = spawnSync(command[0] as string, command.slice(1), { env, encoding: "utf8", timeout: 300_000 });
  try {
    return JSON.parse(readFileSync(out, "utf8"));
  } catch {
    throw new Error(`${tool} wrote no facts:\n${run.stdout}\n${run.stderr}`);
  }
}

describe.skipIf(!isLabReady(lab) || !ansibleAvailable())("facts oracle (a lab host, both tools)", () => {
  it("gives the facts roles read the values Ansible's setup gives", { timeout: 600_000 }, () => {
    if (!isLabReady(lab)) return;
    const ansible = gathered("ansible", lab.inventoryFile) as Record<string, unknown>;
    expect(Object.keys(ansible).length).toBeGreaterThan(20);
    expect(gathered("runbook", lab.inventoryFile)).toEqual(ansible);
  });
});
