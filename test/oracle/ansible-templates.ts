/**
 * Renders many Jinja2 templates with real ansible-playbook in ONE run, as the oracle that
 * runbook's templating is compared against.
 *
 * One play on host n1 of the corpus inventory (connection local, no facts) loops a set_fact over
 * the cases: `lookup('template', case)` renders each file with the template engine's settings
 * (trim_blocks on, lstrip_blocks off, trailing newlines kept; Ansible's own search path and
 * template_* variables), as the template module does, without spawning a module per case (a
 * template task per case costs ~0.45 s, a set_fact a few ms). The text travels base64-encoded so that
 * Ansible's own type conversion ("[1, 2]" becomes a list) cannot touch it. A case Ansible rejects
 * comes back as its error message.
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export { ansibleAvailable } from "../integration/helpers/ansible.js";

export type OracleResult = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly error: string };

export interface OracleCorpus {
  /** Directory with inventory.yaml and vars.yaml, copied next to the generated playbook. */
  readonly fixtureDir: string;
  /** Case name -> template text (written byte for byte as templates/NAME.j2). */
  readonly templates: ReadonlyMap<string, string>;
  /**
   * Cases that may fail with an undefined variable: those go one by one through a block/rescue
   * (~0.6 s each), because such an error aborts a whole loop; the others share one fast loop.
   */
  readonly slow: (name: string) => boolean;
}

const PLAYBOOK = `- hosts: n1
  gather_facts: false
  vars_files: [vars.yaml]
  tasks:
    - set_fact: { oracle_results: {} }
    - set_fact:
        oracle_text: "{{ lookup('template', oracle_case ~ '.j2', convert_data=False) | b64encode }}"
      loop: "{{ oracle_fast_names }}"
      loop_control: { loop_var: oracle_case }
      register: oracle_rendered
      ignore_errors: true
    - include_tasks: render-case.yaml
      loop: "{{ oracle_slow_names }}"
      loop_control: { loop_var: oracle_case }
    - copy:
        content: "{{ {'fast': oracle_rendered.results, 'slow': oracle_results} | to_json }}"
        dest: "{{ oracle_out_file }}"
`;

/** One case: its text, or (rescue) the message Ansible failed with. An undefined variable would fail a plain loop as a whole. */
const RENDER_CASE = `- block:
    - set_fact:
        oracle_text: "{{ lookup('template', oracle_case ~ '.j2', convert_data=False) | b64encode }}"
    - set_fact:
        oracle_results: "{{ oracle_results | combine({oracle_case: {'text': oracle_text}}) }}"
  rescue:
    - set_fact:
        oracle_results: "{{ oracle_results | combine({oracle_case: {'error': ansible_failed_result.msg | default('failed')}}) }}"
`;

interface CaseResult {
  readonly text?: string;
  readonly error?: string;
}

interface LoopResult {
  readonly oracle_case: string;
  readonly failed?: boolean;
  readonly msg?: string;
  readonly ansible_facts?: { readonly oracle_text?: string };
}

/** Every case rendered by ansible-playbook, by name. */
export function renderWithAnsible(corpus: OracleCorpus): Map<string, OracleResult> {
  const dir = mkdtempSync(join(tmpdir(), "runbook-oracle-"));
  try {
    cpSync(corpus.fixtureDir, dir, { recursive: true });
    mkdirSync(join(dir, "templates"), { recursive: true });
    for (const [name, text] of corpus.templates) writeFileSync(join(dir, "templates", `${name}.j2`), text);
    writeFileSync(join(dir, "playbook.yaml"), PLAYBOOK);
    writeFileSync(join(dir, "render-case.yaml"), RENDER_CASE);
    const outFile = join(dir, "results.json");
    const names = [...corpus.templates.keys()];
    const slow = names.filter((name) => corpus.slow(name));
    const extra = JSON.stringify({ oracle_fast_names: names.filter((name) => !corpus.slow(name)), oracle_slow_names: slow, oracle_out_file: outFile });
    runAnsible(dir, extra);
    const results = JSON.parse(readFileSync(outFile, "utf8")) as { fast: LoopResult[]; slow: Record<string, CaseResult> };
    const fast = results.fast.map((r): [string, CaseResult] => [r.oracle_case, r.failed === true ? { error: r.msg ?? "failed" } : { text: r.ansible_facts?.oracle_text }]);
    return new Map([...fast, ...Object.entries(results.slow)].map(([name, result]) => [name, toOracleResult(result)]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function runAnsible(dir: string, extra: string): void {
  try {
    execFileSync("ansible-playbook", ["-i", "inventory.yaml", "playbook.yaml", "-e", extra], {
      cwd: dir,
      env: { ...process.env, ANSIBLE_NOCOLOR: "1", ANSIBLE_RETRY_FILES_ENABLED: "0", ANSIBLE_LOCALHOST_WARNING: "0" },
      stdio: ["ignore", "pipe", "pipe"],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`ansible-playbook failed:\n${String(stdout ?? "").slice(-4000)}\n${String(stderr ?? "").slice(-2000)}`);
  }
}

function toOracleResult(result: CaseResult): OracleResult {
  if (result.text === undefined) return { ok: false, error: result.error ?? "failed" };
  return { ok: true, text: Buffer.from(result.text, "base64").toString("utf8") };
}
