/** `runbook PLAYBOOK ...`: load, then list or run, reporting to the console and optionally as JSON. */
import { Chalk } from "chalk";
import { resolve } from "node:path";
import { runPlaybook } from "../executor/run.js";
import { loadInventories } from "../inventory/load.js";
import { selectHosts } from "../inventory/patterns.js";
import { loadPlaybook } from "../playbook/load.js";
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
import { handleInterrupts } from "./interrupt.js";
import { printHosts, printTasks } from "./list.js";

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
    printHosts(playbook, inventory, resolveLimit(flags.limit), write);
    return ExitCode.ok;
  }
  if (flags.listTasks) {
    printTasks(playbook, playbookFile, write);
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
  const stopHandling = handleInterrupts(abort);
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
    stopHandling();
  }
}
