/**
 * The oracle: every template of test/fixtures/jinja-oracle/cases.yaml is rendered by runbook and
 * by real ansible-playbook (one run for the whole corpus) with the same inventory and variables;
 * the outputs must be byte-identical, and a case Ansible rejects must be rejected by runbook with
 * a ParseError that names the template file, a line and a column. Cases named bad_* are the ones
 * expected to fail (they take the slower, one-by-one path through Ansible).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ParseError } from "../../src/errors.js";
import { loadInventories } from "../../src/inventory/index.js";
import { renderTemplateFile } from "../../src/template/index.js";
import { lazyVars } from "../../src/vars/lazy.js";
import { ansibleAvailable, renderWithAnsible, type OracleResult } from "../oracle/ansible-templates.js";

const fixtureDir = join(import.meta.dirname, "../fixtures/jinja-oracle");
const cases = new Map(Object.entries(parse(readFileSync(join(fixtureDir, "cases.yaml"), "utf8")) as Record<string, string>));

/** n1's variables as a task sees them: inventory, then the play's vars file, then the magic variables. */
function hostVars(): Readonly<Record<string, unknown>> {
  const inventory = loadInventories([join(fixtureDir, "inventory.yaml")]);
  const playVars = parse(readFileSync(join(fixtureDir, "vars.yaml"), "utf8")) as Record<string, unknown>;
  const hostvars = Object.fromEntries([...inventory.hosts.keys()].map((name) => [name, { ...inventory.hostVars(name), inventory_hostname: name }]));
  const groups = inventory.groupsMap();
  const groupNames = Object.entries(groups).filter(([group, hosts]) => group !== "all" && hosts.includes("n1")).map(([group]) => group);
  const magic = { inventory_hostname: "n1", inventory_hostname_short: "n1", groups, hostvars, group_names: groupNames, playbook_dir: fixtureDir };
  return lazyVars({ ...inventory.hostVars("n1"), ...playVars }, magic, { file: join(fixtureDir, "vars.yaml"), line: 1, column: 1 });
}

function renderWithRunbook(name: string, text: string, vars: Readonly<Record<string, unknown>>): OracleResult | ParseError {
  try {
    return { ok: true, text: renderTemplateFile(join(fixtureDir, "templates", `${name}.j2`), text, vars) };
  } catch (error) {
    if (error instanceof ParseError) return error;
    return { ok: false, error: `not a ParseError: ${String(error)}` };
  }
}

describe.skipIf(!ansibleAvailable())("templates agree with ansible-playbook", () => {
  let oracle: Map<string, OracleResult>;
  beforeAll(() => {
    oracle = renderWithAnsible({ fixtureDir, templates: cases, slow: (name) => name.startsWith("bad_") });
  }, 180_000);

  it("renders every case byte for byte as Ansible does, and rejects what Ansible rejects with a located error", () => {
    const vars = hostVars();
    const differences: string[] = [];
    for (const [name, text] of cases) {
      const expected = oracle.get(name);
      const got = renderWithRunbook(name, text, vars);
      if (expected === undefined) differences.push(`${name}: ansible-playbook gave no result`);
      else if (!expected.ok) {
        if (!(got instanceof ParseError) || got.location === undefined) differences.push(`${name}: Ansible rejects it (${expected.error.split("\n")[0]}), runbook gave ${JSON.stringify(got instanceof ParseError ? got.message : got)}`);
      } else if (got instanceof ParseError || !got.ok) {
        differences.push(`${name}: ansible ${JSON.stringify(expected.text)}, runbook failed: ${got instanceof ParseError ? got.message : got.ok ? "" : got.error}`);
      } else if (got.text !== expected.text) differences.push(`${name}: ansible ${JSON.stringify(expected.text)}, runbook ${JSON.stringify(got.text)}`);
    }
    console.log(`${cases.size - differences.length}/${cases.size} templates agree with ansible-playbook`);
    expect(differences).toEqual([]);
  });
});
