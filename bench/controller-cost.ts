/**
 * The controller's own cost at fleet size, without a lab: `vite-node bench/controller-cost.ts
 * [--hosts 1000] [--tasks 20] [--live] [--json]`, or bundled and run under `node --cpu-prof`
 * (see the end of this file's comment).
 *
 * Every host's transport answers from captured output: each distinct command (argv, stdin,
 * become, env) runs once for real on this machine (the local transport) and its result is
 * replayed to every other host that sends it. The playbook's paths are the same on every host
 * (a scratch directory), so 1,000 hosts cost the controller what 1,000 hosts cost it (events,
 * reports, templates, the probe cache, the queue) while this machine runs each command once.
 * Runs a first run, then a no-change rerun and --check, and prints for each: wall, CPU, peak
 * RSS, heap, and the event loop's delay (perf_hooks.monitorEventLoopDelay), p50/p99/max.
 *
 * Profile: `npx esbuild bench/controller-cost.ts --bundle --platform=node --format=esm
 * --external:ssh2 --external:node-ssh --outfile=/tmp/cc.mjs --banner:js="import { createRequire
 * } from 'node:module'; const require = createRequire(import.meta.url);"` then
 * `node --cpu-prof --cpu-prof-dir=/tmp/prof /tmp/cc.mjs --hosts 1000` and
 * `vite-node bench/profile-top.ts /tmp/prof/*.cpuprofile 30`.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { Chalk } from "chalk";
import { Command } from "commander";
import { toReports } from "../src/cli/reports.js";
import { defaultExecutorOptions } from "../src/executor/options.js";
import { runPlaybook } from "../src/executor/run.js";
import { loadInventories } from "../src/inventory/load.js";
import { moduleCatalog } from "../src/modules/registry.js";
import { loadPlaybook } from "../src/playbook/load.js";
import { consoleReporter } from "../src/report/console.js";
import { jsonReporter } from "../src/report/json.js";
import { maskedWriter } from "../src/report/mask.js";
import { progressReporter } from "../src/report/progress.js";
import type { ReportListener } from "../src/report/report-event.js";
import { atomicWriteArgv } from "../src/transport/atomic-write.js";
import { LocalTransport } from "../src/transport/local.js";
import type { CommandResult, PutOptions, RunOptions, Transport } from "../src/transport/types.js";

/**
 * One machine's answers, shared by every host: a command runs once, its result is replayed.
 * The random parts of a command (the probe batch's marker, an upload's temp name) are not part
 * of what makes it the same command; a replayed answer carries the asker's marker.
 */
class ReplayedAnswers {
  private readonly local = new LocalTransport("controller");
  private readonly answers = new Map<string, Promise<{ readonly result: CommandResult; readonly mark: string | undefined }>>();
  ran = 0;

  async run(argv: readonly string[], options: RunOptions): Promise<CommandResult> {
    const stdin = options.stdin === undefined ? "" : options.stdin.toString();
    const key = JSON.stringify([argv, stdin, options.become ?? null, options.env ?? null, options.cwd ?? null])
      .replace(MARK, "__runbook_MARK")
      .replace(TEMP_NAME, ".runbook-TEMP.tmp");
    const mark = argv.join(" ").match(MARK)?.[0];
    let answer = this.answers.get(key);
    if (answer === undefined) {
      this.ran += 1;
      answer = this.local.run(argv, { ...options, become: undefined }).then((result) => ({ result, mark }));
      this.answers.set(key, answer);
    }
    const { result, mark: recorded } = await answer;
    // as from a socket: the answer arrives in a later turn of the event loop, not as a microtask
    await new Promise((resolve) => setImmediate(resolve));
    if (recorded === undefined || mark === undefined || recorded === mark) return result;
    return { ...result, stdout: result.stdout.split(recorded).join(mark), stderr: result.stderr.split(recorded).join(mark) };
  }
}

const MARK = /__runbook_[0-9a-f]{16}/g;
const TEMP_NAME = /\.runbook-[0-9a-f]{12}\.tmp/g;

class ReplayTransport implements Transport {
  constructor(
    readonly host: string,
    private readonly answers: ReplayedAnswers,
  ) {}

  async connect(): Promise<void> {}
  async close(): Promise<void> {}

  run(argv: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
    return this.answers.run(argv, options);
  }

  async put(path: string, content: Buffer, options: PutOptions = {}): Promise<void> {
    const result = await this.run(atomicWriteArgv(path, options, content.length), { stdin: content });
    if (result.rc !== 0) throw new Error(`${this.host}: cannot write ${path}: ${result.stderr}`);
  }
}

/** `tasks` tasks over a few modules, all on paths below `root` (the same on every host). */
function writeWorkload(root: string, hosts: number, tasks: number, hostvars: boolean): string {
  mkdirSync(join(root, "templates"), { recursive: true });
  // --hostvars: the template lists every host with a variable of its, as the bench's generic one does
  const members = hostvars ? "{% for h in groups['all'] %}member = {{ h }}={{ hostvars[h].ansible_host }}\n{% endfor %}" : "";
  writeFileSync(join(root, "templates", "app.conf.j2"), `# {{ ansible_distribution | default('linux') }}\nport = {{ port }}\nhosts = {{ groups['all'] | length }}\n${members}`);
  // No facts: this machine's would stand for every host's, and with labs up it has thousands of
  // interfaces (each lab host's veth), which a lab host has not.
  const lines = ["- name: controller cost", "  hosts: all", "  gather_facts: false", "  vars: { port: 8080 }", "  tasks:"];
  const kinds = [
    (i: number) => `    - name: dir ${i}\n      file: { path: "${root}/tree/d${i}", state: directory, mode: "0755" }`,
    (i: number) => `    - name: copy ${i}\n      copy: { dest: "${root}/tree/c${i}.txt", content: "content ${i}\\n", mode: "0644" }`,
    (i: number) => `    - name: line ${i}\n      lineinfile: { path: "${root}/tree/l${i}", line: "key${i} = {{ port }}", regexp: "^key${i}", create: true, mode: "0644" }`,
    (i: number) => `    - name: template ${i}\n      template: { src: "${root}/templates/app.conf.j2", dest: "${root}/tree/t${i}.conf", mode: "0644" }`,
    (i: number) => `    - name: command ${i}\n      command: touch ${root}/tree/m${i}\n      args: { creates: "${root}/tree/m${i}" }`,
  ];
  for (let i = 0; i < tasks; i++) lines.push((kinds[i % kinds.length] as (i: number) => string)(i));
  const playbook = join(root, "playbook.yaml");
  writeFileSync(playbook, `${lines.join("\n")}\n`);
  const inventory = join(root, "inventory.ini");
  writeFileSync(inventory, `[all]\n${Array.from({ length: hosts }, (_, i) => `h${i + 1} ansible_connection=local ansible_host=10.64.${i >> 8}.${i & 255}`).join("\n")}\n`);
  return playbook;
}

interface Reports {
  readonly hosts: number;
  readonly tasks: number;
  readonly live: boolean;
  readonly json: boolean;
}

interface Figures {
  readonly phase: string;
  readonly wallSeconds: number;
  readonly cpuSeconds: number;
  readonly peakRssMb: number;
  readonly heapUsedMb: number;
  readonly liveMidRunMb: number | undefined;
  readonly loopDelayMs: { readonly p50: number; readonly p99: number; readonly max: number; readonly samples: number };
  readonly commandsRan: number;
  readonly changed: number;
}

/** One monitor for the process: a second one enabled after the first was disabled records nothing on Node 20. */
const delay = monitorEventLoopDelay({ resolution: 10 });
delay.enable();

async function phase(name: string, root: string, playbookFile: string, check: boolean, reports: Reports): Promise<Figures> {
  const inventory = loadInventories([join(root, "inventory.ini")]);
  const playbook = loadPlaybook(playbookFile, { catalog: moduleCatalog });
  const answers = new ReplayedAnswers();
  const color = new Chalk({ level: 0 });
  const write = maskedWriter(() => {}, new Set(["a-secret-never-printed"]));
  const common = { color, verbosity: 0, check, diff: false };
  const listeners: ReportListener[] = [
    reports.live ? progressReporter({ ...common, terminal: { write, columns: 120 } }) : consoleReporter({ ...common, write }),
  ];
  if (reports.json) listeners.push(jsonReporter(write));
  let changed = 0;
  let tasksStarted = 0;
  let liveMidRunMb: number | undefined;
  listeners.push((event) => {
    if (event.type === "task-result" && event.result.status === "changed") changed += 1;
    // under --expose-gc: what is live halfway through (not garbage waiting for a collection)
    if (event.type === "task-start" && ++tasksStarted === Math.ceil(reports.tasks / 2) && typeof globalThis.gc === "function") {
      globalThis.gc();
      liveMidRunMb = process.memoryUsage().heapUsed / 1024 / 1024;
    }
  });
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  delay.reset();
  await runPlaybook({
    playbook,
    inventory,
    options: { ...defaultExecutorOptions, forks: reports.hosts, check },
    listeners: [toReports(listeners)],
    transports: (host) => new ReplayTransport(host, answers),
  });
  const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  const ms = (ns: number): number => ns / 1e6;
  return {
    phase: name,
    wallSeconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    heapUsedMb: process.memoryUsage().heapUsed / 1024 / 1024,
    liveMidRunMb,
    loopDelayMs: { p50: ms(delay.percentile(50)), p99: ms(delay.percentile(99)), max: ms(delay.max), samples: delay.count },
    commandsRan: answers.ran,
    changed,
  };
}

async function main(): Promise<void> {
  const program = new Command("controller-cost")
    .option("--hosts <n>", "fake hosts", "1000")
    .option("--tasks <n>", "tasks in the playbook", "20")
    .option("--live", "the live view (as on a terminal) instead of the plain console report", false)
    .option("--json", "add the --json report", false)
    .option("--hostvars", "the template lists every host's ansible_host (hosts x hosts reads per task)", false)
    .parse(process.argv.slice(2), { from: "user" });
  const flags = program.opts<{ hosts: string; tasks: string; live: boolean; json: boolean; hostvars: boolean }>();
  const hosts = Number(flags.hosts);
  const root = mkdtempSync(join(tmpdir(), "runbook-controller-cost-"));
  try {
    const playbook = writeWorkload(root, hosts, Number(flags.tasks), flags.hostvars);
    const reports = { hosts, tasks: Number(flags.tasks), live: flags.live, json: flags.json };
    const figures = [
      await phase("first", root, playbook, false, reports),
      await phase("nochange", root, playbook, false, reports),
      await phase("check", root, playbook, true, reports),
    ];
    for (const f of figures) {
      process.stdout.write(
        `${f.phase.padEnd(8)} ${hosts} hosts x ${flags.tasks} tasks: wall ${f.wallSeconds.toFixed(2)} s  cpu ${f.cpuSeconds.toFixed(2)} s  ` +
          `peak rss ${f.peakRssMb.toFixed(0)} MB  heap ${f.heapUsedMb.toFixed(0)} MB${f.liveMidRunMb === undefined ? "" : ` (live mid-run ${f.liveMidRunMb.toFixed(0)} MB)`}  loop delay p50 ${f.loopDelayMs.p50.toFixed(1)} ms p99 ${f.loopDelayMs.p99.toFixed(1)} ms max ${f.loopDelayMs.max.toFixed(1)} ms (${f.loopDelayMs.samples} samples)  ` +
          `(${f.commandsRan} commands ran, ${f.changed} changed)\n`,
      );
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
