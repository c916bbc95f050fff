/**
 * As root: `npx vite-node test/oracle/harness/main.ts [--live] [ID-PREFIX...]` runs the oracle
 * on all cases (or those whose id starts with a prefix) and prints each disagreement;
 * `--record` runs every case through ansible-playbook and rewrites ansible-outcomes.json;
 * `--record-from WORKDIR` records from a kept work directory of a live run.
 */
import type { OracleCase } from "./case-schema.js";
import { ansibleVersion, loadCases, readOutcomes, runOracle, runTools } from "./oracle.js";
import { caseHash, readRecord, writeRecord } from "./record.js";

const args = process.argv.slice(2);
const flag = (name: string): boolean => args.includes(name);
const fromIndex = args.indexOf("--record-from");
const fromWork = fromIndex >= 0 ? args[fromIndex + 1] : undefined;
const prefixes = args.filter((arg, index) => !arg.startsWith("--") && (fromIndex < 0 || index !== fromIndex + 1));
const cases = loadCases().filter(({ id }) => prefixes.length === 0 || prefixes.some((prefix) => id.startsWith(prefix)));

function record(work: string, selected: readonly OracleCase[]): void {
  const all = loadCases();
  const wanted = new Set(selected.map(({ id }) => id));
  const indexes = new Set(all.flatMap((oracleCase, index) => (wanted.has(oracleCase.id) ? [index] : [])));
  const outcomes = readOutcomes(work, "ansible", all, indexes);
  const saved = readRecord();
  saved.ansible = ansibleVersion();
  for (const oracleCase of all) {
    const phases = outcomes.get(oracleCase.id);
    if (phases) saved.cases[oracleCase.id] = { hash: caseHash(oracleCase), phases };
  }
  for (const id of Object.keys(saved.cases)) if (!all.some((oracleCase) => oracleCase.id === id)) delete saved.cases[id];
  writeRecord(saved);
  console.log(`recorded ansible-playbook's outcomes of ${outcomes.size} cases (${saved.ansible})`);
}

const started = Date.now();
if (fromWork) {
  record(fromWork, cases);
} else if (flag("--record")) {
  const all = loadCases();
  const wanted = new Set(cases.map(({ id }) => id));
  const work = await runTools(all, new Map([["ansible", new Set(all.flatMap((c, index) => (wanted.has(c.id) ? [index] : [])))]]));
  record(work, cases);
  console.log(`work dir ${work}`);
} else {
  const { verdicts, work, liveAnsible } = await runOracle(cases, { live: flag("--live") });
  for (const { id, differences } of verdicts) if (differences.length) console.log(`${id}\n  ${differences.join("\n  ")}`);
  const agreeing = verdicts.filter(({ differences }) => differences.length === 0).length;
  console.log(`${agreeing}/${verdicts.length} module cases agree with ansible-playbook (${liveAnsible} through ansible-playbook live; work dir ${work})`);
}
console.log(`${((Date.now() - started) / 1000).toFixed(1)} s`);
