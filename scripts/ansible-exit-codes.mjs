// Records what ansible-playbook exits with for each case of the bad-input corpora
// (test/fixtures/bad/<case>/, test/fixtures/bad-cli/<case>/), run on a copy of the case in a
// temporary directory against a local-connection host, into test/fixtures/ansible-exit-codes.json.
// The table is the oracle test/unit/cli/exit-codes.test.ts compares runbook's exit codes with.
//
//   node scripts/ansible-exit-codes.mjs            # needs ansible-playbook (ansible-core) on PATH
//   node scripts/ansible-exit-codes.mjs bad/x ...  # record only these cases again
import { spawnSync } from "node:child_process";
import process from "node:process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const repo = join(import.meta.dirname, "..");
const fixtures = join(repo, "test", "fixtures");
const LOCAL_INVENTORY = "all:\n  hosts:\n    local1: { ansible_connection: local }\n";

export function runAnsible(dir, args) {
  const env = { ...process.env, ANSIBLE_NOCOLOR: "1", ANSIBLE_RETRY_FILES_ENABLED: "0", ANSIBLE_HOME: join(dir, ".ansible-home"), ANSIBLE_LOCALHOST_WARNING: "0" };
  const run = spawnSync("ansible-playbook", args, { cwd: dir, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 240_000 });
  const output = `${run.stdout}${run.stderr}`;
  const said = output.split("\n").find((line) => /ERROR|error:|FAILED|WARNING/.test(line)) ?? "";
  // null: ansible-playbook had not ended after 240 s (an include that includes itself recurses on)
  return { exit: run.status, said: said.trim().slice(0, 160), applied: existsSync(join(dir, "APPLIED")) };
}

function record(name, source, args) {
  const dir = join(mkdtempSync(join(tmpdir(), "rb-oracle-")), "case");
  cpSync(source, dir, { recursive: true });
  if (!existsSync(join(dir, "hosts.yaml"))) writeFileSync(join(dir, "hosts.yaml"), LOCAL_INVENTORY);
  const result = runAnsible(dir, args);
  rmSync(join(dir, ".."), { recursive: true, force: true });
  process.stderr.write(`${name}: ${result.exit}  ${result.said}\n`);
  return [name, result];
}

const only = new Set(process.argv.slice(2));
const wanted = (name) => only.size === 0 || only.has(name);
const tableFile = join(fixtures, "ansible-exit-codes.json");
const previous = only.size > 0 && existsSync(tableFile) ? JSON.parse(readFileSync(tableFile, "utf8")).cases : {};
const version = spawnSync("ansible-playbook", ["--version"], { encoding: "utf8" }).stdout.split("\n")[0];
const rows = [];
for (const corpus of ["bad", "bad-cli"]) {
  for (const name of readdirSync(join(fixtures, corpus)).sort()) {
    const dir = join(fixtures, corpus, name);
    const args = corpus === "bad-cli" ? JSON.parse(readFileSync(join(dir, "case.json"), "utf8")).args : ["playbook.yaml", "-i", "hosts.yaml"];
    if (wanted(`${corpus}/${name}`)) rows.push(record(`${corpus}/${name}`, dir, args));
  }
}
const cases = { ...previous, ...Object.fromEntries(rows) };
const table = { recordedWith: version, cases: Object.fromEntries(Object.keys(cases).sort().map((name) => [name, cases[name]])) };
writeFileSync(tableFile, `${JSON.stringify(table, null, 2)}\n`);
