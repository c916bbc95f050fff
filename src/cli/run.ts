/** `runbook PLAYBOOK ...`: load, check, then list or run, reporting to the console and optionally as JSON/JUnit/HTML. */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { ExitCode, ParseError, RunbookError } from "../errors.js";
import { exitCodeFor, runExitCode } from "./exit-codes.js";
import { preflightCheck } from "../executor/preflight.js";
import { runPlaybook } from "../executor/run.js";
import { loadInventories } from "../inventory/load.js";
import { selectHosts } from "../inventory/patterns.js";
import { moduleCatalog } from "../modules/registry.js";
import { loadPlaybook } from "../playbook/load.js";
import { maskedWriter } from "../report/mask.js";
import { VaultKeyring } from "../vault/keyring.js";
import { vaultPasswordFromFlags } from "../vault/password.js";
import { parseExtraVars } from "./extra-vars.js";
import { handleInterrupts } from "./interrupt.js";
import { resolveLimit, writeLastFailed } from "./last-failed.js";
import { printHosts, printTasks } from "./list.js";
import { promptSecret } from "./prompt.js";
import { answerPrompts, terminalAsker } from "./vars-prompt.js";
import { askVaultPassword } from "./vault.js";
import { reportListeners } from "./reports.js";
import { executorOptions, inventoryPaths, tagSelection, type RunFlags } from "./run-options.js";

/** Runs a playbook; `secrets` collects values never to print (the caller masks its error output with it). */
export async function runCommand(playbookFile: string, flags: RunFlags, secrets: Set<string> = new Set()): Promise<number> {
  try {
    return await loadAndRun(playbookFile, flags, secrets);
  } catch (error) {
    // --json promises one document on stdout whatever happens; the error itself is printed by main.
    if (flags.json) maskedWriter((text) => process.stdout.write(text), secrets)(`${JSON.stringify(jsonError(error), null, 2)}\n`);
    throw error;
  }
}

async function loadAndRun(playbookFile: string, flags: RunFlags, secrets: Set<string>): Promise<number> {
  if (!existsSync(playbookFile)) {
    throw new RunbookError("runtime", `the playbook ${playbookFile} does not exist`, { hint: "give the path of a playbook YAML file, e.g. playbooks/site.yaml" });
  }
  // With --json, stdout carries only the JSON document; people read stderr.
  const human = flags.json ? process.stderr : process.stdout;
  const write = maskedWriter((text) => human.write(text), secrets);
  const vaultPassword = flags.askVaultPass ? await askVaultPassword(false) : vaultPasswordFromFlags(flags.vaultPasswordFile);
  const vault = new VaultKeyring(vaultPassword, secrets);
  const inventory = loadInventories(inventoryPaths(flags, playbookFile), { vault });
  const extraVars = parseExtraVars(flags.extraVars ?? [], vault);
  const loaded = loadPlaybook(resolve(playbookFile), { catalog: moduleCatalog, extraVars, vault });

  if (flags.syntaxCheck) {
    write(`\nplaybook: ${playbookFile}\n`);
    return ExitCode.ok;
  }
  if (flags.listHosts) {
    printHosts(loaded, inventory, resolveLimit(flags.limit), write);
    return ExitCode.ok;
  }
  if (flags.listTasks) {
    printTasks(loaded, playbookFile, write, { ...tagSelection(flags), role: flags.role });
    return ExitCode.ok;
  }

  const interactive = process.stdin.isTTY === true ? terminalAsker : undefined;
  const playbook = await answerPrompts(loaded, extraVars, interactive, (message) => process.stderr.write(`[WARNING]: ${message}\n`));
  const abort = new AbortController();
  const options = { ...executorOptions(flags, abort.signal, extraVars), vault };
  if (options.limit !== undefined) selectHosts(inventory, options.limit); // an unknown pattern fails before anything runs
  // Undefined variables and template errors found now stop the run before anything is applied.
  const problem = preflightCheck({ playbook, inventory, options });
  if (problem) throw new ParseError(problem.message, { location: problem.location, hint: problem.hint, kind: preflightKind(problem), cause: problem });

  const becomePassword = flags.askBecomePass ? await promptSecret("BECOME password: ") : process.env["RUNBOOK_BECOME_PASSWORD"];
  if (becomePassword) secrets.add(becomePassword);
  const listeners = reportListeners(flags, options, inventory, playbookFile, secrets);
  const stopHandling = handleInterrupts(abort);
  try {
    const summary = await runPlaybook({
      playbook,
      inventory,
      options: { ...options, becomePassword },
      listeners,
      connection: { hostKeyChecking: flags.acceptNewHostKeys ? "accept-new" : undefined },
    });
    writeLastFailed(summary.stats);
    return runExitCode(summary);
  } finally {
    stopHandling();
  }
}

/**
 * Ansible meets undefined variables and bad conditions only running the task (a task failure);
 * a template's syntax error it meets splitting the task's arguments, while parsing (as in the
 * free-form `command: echo {{ x`). Approximate: a syntax error in a templated file is a task
 * failure in Ansible too, and is reported here as a parse error.
 */
function preflightKind(problem: RunbookError): "parse" | "task" {
  return problem.message.startsWith("invalid template") ? "parse" : "task";
}

function jsonError(error: unknown): Record<string, unknown> {
  const message = error instanceof Error ? error.message : String(error);
  const located = error instanceof RunbookError ? { location: error.location, hint: error.hint } : {};
  return { exitCode: exitCodeFor(error), error: { message, ...located }, hosts: {}, tasks: [] };
}
