/** `runbook PLAYBOOK ...`: load, then list or run, reporting to the console and optionally as JSON. */
import { Chalk } from "chalk";
import { resolve } from "node:path";
import { runPlaybook } from "../executor/run.js";
import { loadInventories } from "../inventory/load.js";
import { selectHosts } from "../inventory/patterns.js";
import { listTasks, loadPlaybook } from "../playbook/load.js";
import { moduleCatalog } from "../modules/registry.js";
import { consoleReporter } from "../report/console.js";
import { jsonReporter } from "../report/json.js";
import { inventoryPaths, executorOptions, type RunFlags } from "./run-options.js";
import { promptSecret } from "./prompt.js";
import { maskedWriter } from "../report/mask.js";
import { VaultKeyring } from "../vault/keyring.js";
import { vaultPasswordFromFlags } from "../vault/password.js";
import { parseExtraVars } from "./extra-vars.js";
import { ExitCode } from "../errors.js";
import { preflightCheck } from "../executor/preflight.js";
import { resolveLimit, writeLastFailed } from "./last-failed.js";

/** Runs a playbook; `secrets` collects values never to print (the caller masks its error output with it). */
export async function runCommand(playbookFile: string, flags: RunFlags, secrets: Set<string> = new Set()): Promise<number> {
  // With --json, stdout carries only the JSON document; people read stderr.
  const human = flags.json ? process.stderr : process.stdout;
  const color = new Chalk({ level: human.isTTY ? 3 : 0 });
  const write = maskedWriter((text) => human.write(text), secrets);
  const vaultPassword = flags.askVaultPass ? await promptSecret("Vault password: ") : vaultPasswordFromFlags(flags.vaultPasswordFile);
  const vault = new VaultKeyring(vaultPassword, secrets);
  const inventory = loadInventories(inventoryPaths(flags, playbookFile), { vault });
  const extraVars = parseExtraVars(flags.extraVars ?? []);
  const playbook = loadPlaybook(resolve(playbookFile), { catalog: moduleCatalog, extraVars, vault });

  if (flags.syntaxCheck) {
    write(`\nplaybook: ${playbookFile}\n`);
    return ExitCode.ok;
  }
  if (flags.listHosts) {
    const limit = resolveLimit(flags.limit);
    for (const play of playbook.plays) {
      let hosts = selectHosts(inventory, play.hosts, play.where);
      if (limit) {
        const limited = new Set(selectHosts(inventory, limit));
        hosts = hosts.filter((host) => limited.has(host));
      }
      write(`\n  play #${playbook.plays.indexOf(play) + 1} (${play.hosts}): ${play.name}\tTAGS: [${play.tags.join(", ")}]\n`);
      write(`    pattern: ['${play.hosts}']\n    hosts (${hosts.length}):\n${hosts.map((host) => `      ${host}\n`).join("")}`);
    }
    return ExitCode.ok;
  }
  if (flags.listTasks) {
    write(`\nplaybook: ${playbookFile}\n`);
    let currentPlay: string | undefined;
    for (const task of listTasks(playbook)) {
      if (task.play !== currentPlay) {
        currentPlay = task.play;
        write(`\n  play: ${task.play}\n    tasks:\n`);
      }
      write(`      ${task.role ? `${task.role} : ` : ""}${task.name}\tTAGS: [${task.tags.join(", ")}]\n`);
    }
    return ExitCode.ok;
  }

  const abort = new AbortController();
  const options = executorOptions(flags, abort.signal, undefined);
  if (options.limit !== undefined) selectHosts(inventory, options.limit); // an unknown pattern fails before anything runs
  // Undefined variables and template errors found now stop the run before anything is applied.
  const problem = preflightCheck({ playbook, inventory, options });
  if (problem) throw problem;

  const becomePassword = flags.askBecomePass ? await promptSecret("BECOME password: ") : process.env["RUNBOOK_BECOME_PASSWORD"];
  if (becomePassword) secrets.add(becomePassword);
  let interrupts = 0;
  const onInterrupt = (): void => {
    interrupts += 1;
    if (interrupts > 1) process.exit(ExitCode.interrupted);
    process.stderr.write("\n[interrupted]: finishing the tasks under way; press Ctrl-C again to quit at once\n");
    abort.abort();
  };
  process.on("SIGINT", onInterrupt);
  const listeners = [consoleReporter({ write, color, verbosity: flags.verbose ?? 0, check: options.check, diff: options.diff })];
  if (flags.json) listeners.push(jsonReporter(maskedWriter((text) => process.stdout.write(text), secrets)));
  try {
    const summary = await runPlaybook({
      playbook,
      inventory,
      options: { ...options, becomePassword },
      listeners,
      connection: { hostKeyChecking: flags.acceptNewHostKeys ? "accept-new" : undefined },
    });
    writeLastFailed(summary.stats);
    return summary.exitCode;
  } finally {
    process.off("SIGINT", onInterrupt);
  }
}
