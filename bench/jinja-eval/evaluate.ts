/**
 * Which JavaScript Jinja2 library to build runbook's templating on: renders corpus.yaml with
 * ansible-playbook (the oracle) and with each candidate, configured as Ansible configures Jinja2
 * (trim_blocks on, lstrip_blocks off, undefined is an error), and counts byte-identical outputs,
 * cases both reject, and whether a rejection names a line and column.
 *
 *   npx vite-node bench/jinja-eval/evaluate.ts
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Environment, Interpreter, parse, tokenize } from "@huggingface/jinja";
import nunjucks from "nunjucks";
import { parse as parseYaml } from "yaml";
import { renderTemplateFile } from "../../src/template/index.js";
import { renderWithAnsible, type OracleResult } from "../../test/oracle/ansible-templates.js";

type Candidate = (template: string, vars: Record<string, unknown>) => string;

const fixtureDir = join(import.meta.dirname, "../../test/fixtures/jinja-oracle");
const corpus = parseYaml(readFileSync(join(import.meta.dirname, "corpus.yaml"), "utf8")) as Record<string, string>;

function corpusVars(): Record<string, unknown> {
  const vars = parseYaml(readFileSync(join(fixtureDir, "vars.yaml"), "utf8")) as Record<string, unknown>;
  const hostvars = {
    n1: { node_ip: "10.10.0.11", inventory_hostname: "n1" },
    n2: { node_ip: "10.10.0.12", inventory_hostname: "n2" },
    n3: { node_ip: "10.10.0.13", inventory_hostname: "n3" },
  };
  const groups = { all: ["n1", "n2", "n3"], ungrouped: [], etcd: ["n1"], masters: ["n1"], nodes: ["n2", "n3"] };
  return { ...vars, hostvars, groups, inventory_hostname: "n1" };
}

const nunjucksEnv = new nunjucks.Environment(null, { autoescape: false, throwOnUndefined: true, trimBlocks: true, lstripBlocks: false });
nunjucks.installJinjaCompat();

const candidates: Record<string, Candidate> = {
  nunjucks: (template, vars) => nunjucksEnv.renderString(template, vars),
  "@huggingface/jinja": (template, vars) => {
    const env = new Environment();
    for (const [key, value] of Object.entries(vars)) env.set(key, value);
    const program = parse(tokenize(template, { trim_blocks: true, lstrip_blocks: false }));
    return new Interpreter(env).run(program).value as string;
  },
  // The choice: nunjucks' parser (public `parser` export) with runbook's own evaluator (src/template/jinja/).
  "runbook (nunjucks parser + Python-semantics evaluator)": (template, vars) => renderTemplateFile("/corpus/case.j2", template, vars),
};

function outcome(candidate: Candidate, template: string, vars: Record<string, unknown>): OracleResult {
  try {
    return { ok: true, text: candidate(template, vars) };
  } catch (error) {
    const location = (error as { location?: { line: number; column: number } }).location;
    const where = location === undefined ? "" : ` [Line ${location.line}, Column ${location.column}]`;
    return { ok: false, error: (error instanceof Error ? error.message : String(error)) + where };
  }
}

const oracle = renderWithAnsible({ fixtureDir, templates: new Map(Object.entries(corpus)), slow: (name) => /undefined|bad|unclosed/.test(name) });
const vars = corpusVars();
for (const [name, candidate] of Object.entries(candidates)) {
  let agree = 0;
  let located = 0;
  let rejected = 0;
  const differ: string[] = [];
  for (const [caseName, template] of Object.entries(corpus)) {
    const expected = oracle.get(caseName);
    const got = outcome(candidate, template, vars);
    if (expected?.ok === false && !got.ok) {
      rejected++;
      if (/line \d+|\[Line \d+, Column \d+\]/i.test(got.error)) located++;
    }
    if ((expected?.ok === false && !got.ok) || (expected?.ok && got.ok && expected.text === got.text)) agree++;
    else differ.push(`${caseName}: ${JSON.stringify(expected?.ok ? expected.text : "<error>")} vs ${JSON.stringify(got.ok ? got.text : got.error.slice(0, 80))}`);
  }
  console.log(`${name}: ${agree}/${Object.keys(corpus).length} agree with ansible-playbook; rejections located: ${located}/${rejected}`);
  for (const line of differ) console.log(`  ${line}`);
}
