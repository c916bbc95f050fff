/**
 * The keyword oracle: each playbook in test/fixtures/keyword-oracle/ records what its keywords
 * did (loop items, included variables, which tasks ran) in a `record` variable and writes it as
 * JSON to `out`. Real ansible-playbook (connection local) and runbook run the same playbook (with
 * the same options, e.g. --tags); the two records must be equal, and so must the recaps.
 * logins.yaml (remote_user, connection) runs over ssh on two hosts of the suite lab instead, with
 * an inventory that names no ansible_user.
 */
import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ansibleAvailable } from "./helpers/ansible.js";
import { isLabReady } from "./setup/lab.js";
import { afterAll, describe, expect, inject, it } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..");
const FIXTURES = join(ROOT, "test", "fixtures", "keyword-oracle");

interface OracleRun {
  readonly playbook: string;
  readonly args?: readonly string[];
  /** Inventory lines in place of the one local host; every host runs locally. */
  readonly inventory?: readonly string[];
  /** A whole inventory instead (the ssh runs on lab hosts). */
  readonly inventoryText?: string;
}

const TAG_RUNS = [[], ["--tags", "t1"], ["--tags", "t2"], ["--tags", "t3"], ["--skip-tags", "t1"], ["--skip-tags", "t2"], ["--tags", "t1,t2", "--skip-tags", "t3"], ["--tags", "tagged"], ["--tags", "untagged"], ["--tags", "tagrole"], ["--tags", "t1", "--skip-tags", "all"]];
const RUNS: readonly OracleRun[] = [
  ...["loops.yaml", "include-vars.yaml", "roles.yaml", "include-loops.yaml", "task-forms.yaml", "magic.yaml", "var-types.yaml", "include-role-loops.yaml", "include-keywords.yaml", "import-keywords.yaml"].map((playbook) => ({ playbook })),
  { playbook: "flags.yaml" },
  { playbook: "loop-failures.yaml" },
  { playbook: "async.yaml" },
  ...TAG_RUNS.map((args) => ({ playbook: "tags.yaml", args })),
  { playbook: "play-keywords.yaml" },
  { playbook: "vars-prompt.yaml" },
  { playbook: "order.yaml", inventory: ["localhost", "[ordered]", "h3", "h1", "h2"] },
];


const work = mkdtempSync(join(tmpdir(), "runbook-kw-oracle-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs one tool on a fresh copy of the fixtures; the record it wrote, parsed, and its output. */
/** Runs a command to its end without blocking the worker (a synchronous spawn starves vitest's RPC under load). */
function runToEnd(command: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command[0] as string, command.slice(1), { cwd, env, timeout: 400_000 });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", () => resolve({ stdout, stderr }));
  });
}

async function record(tool: "ansible" | "runbook", run: OracleRun): Promise<{ record: unknown; recap: string[]; output: string }> {
  const { playbook } = run;
  const dir = join(work, `${tool}-${playbook}-${(run.args ?? []).join("_")}`);
  cpSync(FIXTURES, dir, { recursive: true });
  const local = "ansible_connection=local ansible_python_interpreter=/usr/bin/python3";
  const hosts = run.inventory ?? ["localhost"];
  const inventory = run.inventoryText ?? hosts.map((line) => (line.startsWith("[") ? line : `${line} ${local}`)).join("\n") + "\n";
  writeFileSync(join(dir, "inventory.ini"), inventory);
  const out = join(dir, "record.json");
  const args = ["-i", join(dir, "inventory.ini"), "-e", `out=${out}`, join(dir, playbook), ...(run.args ?? [])];
  const command = tool === "ansible" ? ["ansible-playbook", ...args] : [process.execPath, join(ROOT, "bin", "runbook.js"), ...args, "--no-progress"];
  const env = { ...process.env, ANSIBLE_NOCOLOR: "1", ANSIBLE_RETRY_FILES_ENABLED: "0", ANSIBLE_CONFIG: join(dir, "no-ansible.cfg") };
  const child = await runToEnd(command, dir, env);
  const output = `${child.stdout}\n${child.stderr}`;
  const recap = recapLines(child.stdout);
  try {
    return { record: JSON.parse(readFileSync(out, "utf8")), recap, output };
  } catch {
    return { record: undefined, recap, output };
  }
}

/** `host : ok=1 changed=0 ...` in one spacing, whichever tool printed it. */
function recapLines(stdout: string): string[] {
  const counts = /^(\S+)\s+:\s+(ok=\d+)\s+(changed=\d+)\s+(unreachable=\d+)\s+(failed=\d+)\s+(skipped=\d+)\s+(rescued=\d+)\s+(ignored=\d+)/;
  return stdout.split("\n").flatMap((line) => {
    const match = counts.exec(line.trim());
    return match === null ? [] : [match.slice(1).join(" ")];
  });
}

// The runs are independent (each tool on its own copy of the fixtures, local paths only), so they
// run a few at a time and each run's two tools at once: one after another they took 100 s of CI.
describe.skipIf(!ansibleAvailable())("keyword oracle (ansible-playbook, connection local)", { concurrent: true }, () => {
  it.for(RUNS.map((run) => ({ ...run, title: [run.playbook, ...(run.args ?? [])].join(" ") })))("$title records the same as ansible-playbook", { timeout: 900_000 }, async (run, { expect }) => {
    const [ansible, runbook] = await Promise.all([record("ansible", run), record("runbook", run)]);
    expect(ansible.record, ansible.output).toBeDefined();
    expect(runbook.record, runbook.output).toEqual(ansible.record);
    expect(ansible.recap.length, ansible.output).toBeGreaterThan(0);
    expect(runbook.recap, runbook.output).toEqual(ansible.recap);
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

  it("logins.yaml (remote_user, connection) records the same as ansible-playbook", { timeout: 900_000 }, async () => {
    const ansible = await record("ansible", { playbook: "logins.yaml", inventoryText: labInventory("ansible") });
    expect(ansible.record, ansible.output).toBeDefined();
    const runbook = await record("runbook", { playbook: "logins.yaml", inventoryText: labInventory("runbook") });
    expect(runbook.record, runbook.output).toEqual(ansible.record);
  });
});
