/**
 * Exit codes follow ansible-playbook's for the same mistake. Ansible's codes were recorded by
 * running it on every case of the bad-input corpora (scripts/ansible-exit-codes.mjs ->
 * test/fixtures/ansible-exit-codes.json); runbook's are what the loader's error maps to
 * (test/fixtures/bad) and what the CLI exits with (test/fixtures/bad-cli/<case>/case.json,
 * checked against real runs by test/integration/reliability-bad-input.test.ts).
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { exitCodeFor } from "../../../src/cli/exit-codes.js";
import { loadPlaybook } from "../../../src/playbook/load.js";
import { fakeCatalog } from "../playbook/fake-catalog.js";

interface Recorded {
  /** ansible-playbook's exit status; null when it had not ended after 240 s. */
  readonly exit: number | null;
  readonly said: string;
}

const fixtures = join(import.meta.dirname, "../../fixtures");
const table = JSON.parse(readFileSync(join(fixtures, "ansible-exit-codes.json"), "utf8")) as { cases: Record<string, Recorded> };

/** Where runbook deliberately differs from Ansible's code, and why. */
const DEVIATIONS: Readonly<Record<string, { readonly exit: number; readonly why: string }>> = {
  "bad-cli/inventory-missing": { exit: 1, why: "Ansible warns and runs on no hosts (0); runbook stops, as for any missing file (1)" },
};

/** Ansible's code, except where Ansible accepts the mistake (0) or crashes on it (250, no end): a located parse error. */
function expectedExit(name: string, recorded: Recorded): number {
  const deviation = DEVIATIONS[name];
  if (deviation !== undefined) return deviation.exit;
  return recorded.exit === null || recorded.exit === 0 || recorded.exit === 250 ? 4 : recorded.exit;
}

const caseNames = (corpus: string): string[] => readdirSync(join(fixtures, corpus)).sort().map((name) => `${corpus}/${name}`);

function loaderExit(name: string): number {
  try {
    loadPlaybook(join(fixtures, name, "playbook.yaml"), { catalog: fakeCatalog, rolesPath: [] });
  } catch (error) {
    return exitCodeFor(error);
  }
  throw new Error(`${name} loaded without an error`);
}

describe("exit codes against ansible-playbook's", () => {
  it("has Ansible's code recorded for every case of both corpora", () => {
    const missing = [...caseNames("bad"), ...caseNames("bad-cli")].filter((name) => !(name in table.cases));
    expect(missing, "record them: node scripts/ansible-exit-codes.mjs CASE...").toEqual([]);
  });

  it.each(caseNames("bad"))("%s: the loader's error maps to Ansible's code", (name) => {
    const recorded = table.cases[name];
    if (recorded === undefined) throw new Error(`${name} is not recorded`);
    expect({ name, exit: loaderExit(name) }).toEqual({ name, exit: expectedExit(name, recorded) });
  });

  it.each(caseNames("bad-cli"))("%s: the CLI's exit code is Ansible's", (name) => {
    const recorded = table.cases[name];
    if (recorded === undefined) throw new Error(`${name} is not recorded`);
    const spec = JSON.parse(readFileSync(join(fixtures, name, "case.json"), "utf8")) as { exit: number };
    expect({ name, exit: spec.exit }).toEqual({ name, exit: expectedExit(name, recorded) });
  });
});

const hasAnsible = spawnSync("ansible-playbook", ["--version"], { stdio: "ignore" }).status === 0;

/** A few cases Ansible answers without running a task, run again: the recording still holds. */
describe.skipIf(!hasAnsible)("the recording, checked against ansible-playbook now", () => {
  it.each(["bad-cli/playbook-missing", "bad-cli/unknown-option", "bad-cli/malformed-yaml"])("%s", (name) => {
    const dir = join(mkdtempSync(join(tmpdir(), "rb-oracle-")), "case");
    cpSync(join(fixtures, name), dir, { recursive: true });
    const spec = JSON.parse(readFileSync(join(dir, "case.json"), "utf8")) as { args: string[] };
    const env = { ...process.env, ANSIBLE_NOCOLOR: "1", ANSIBLE_RETRY_FILES_ENABLED: "0", ANSIBLE_HOME: join(dir, ".ansible-home") };
    const run = spawnSync("ansible-playbook", spec.args, { cwd: dir, env, stdio: "ignore", timeout: 120_000 });
    expect(run.status).toBe(table.cases[name]?.exit);
  }, 150_000);
});
