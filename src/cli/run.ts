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
import { selectedByTags } from "../executor/tags.js";
import { inventoryPaths, executorOptions, splitList, type RunFlags } from "./run-options.js";
import { promptSecret } from "./prompt.js";
import { existsSync } from "node:fs";
import { ExitCode, exitCodeFor, OptionsError, RunbookError } from "../errors.js";

export async function runCommand(playbookFile: string, flags: RunFlags): Promise<number> {
  try {
    return await loadAndRun(playbookFile, flags);
  } catch (error) {
    // --json promises one document on stdout whatever happens; the error itself is printed by main.
    if (flags.json) process.stdout.write(`${JSON.stringify(jsonError(error), null, 2)}\n`);
    throw error;
  }
}

async function loadAndRun(playbookFile: string, flags: RunFlags): Promise<number> {
  if (!existsSync(playbookFile)) {
    throw new OptionsError(`the playbook ${playbookFile} does not exist`, { hint: "give the path of a playbook YAML file, e.g. playbooks/site.yaml" });
  }
  // With --json, stdout carries only the JSON document; people read stderr.
  const human = flags.json ? process.stderr : process.stdout;
  const color = new Chalk({ level: human.isTTY ? 3 : 0 });
  const write = (text: string): void => {
    human.write(text);
  };
  const inventory = loadInventories(inventoryPaths(flags, playbookFile));
  const playbook = loadPlaybook(resolve(playbookFile), { catalog: moduleCatalog });

  if (flags.syntaxCheck) {
    write(`\nplaybook: ${playbookFile}\n`);
    return ExitCode.ok;
  }
  if (flags.listHosts) {
    for (const play of playbook.plays) {
      let hosts = selectHosts(inventory, play.hosts, play.where);
      if (flags.limit) {
        const limited = new Set(selectHosts(inventory, flags.limit));
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
    // Like a run: only the tasks --role, --tags and --skip-tags select.
    const tags = splitList(flags.tags);
    const skipTags = splitList(flags.skipTags);
    const selected = listTasks(playbook).filter((task) => (flags.role === undefined || task.role === flags.role) && selectedByTags(task.tags, tags, skipTags));
    for (const task of selected) {
      if (task.play !== currentPlay) {
        currentPlay = task.play;
        write(`\n  play: ${task.play}\n    tasks:\n`);
      }
      write(`      ${task.role ? `${task.role} : ` : ""}${task.name}\tTAGS: [${task.tags.join(", ")}]\n`);
    }
    return ExitCode.ok;
  }

  const becomePassword = flags.askBecomePass ? await promptSecret("BECOME password: ") : process.env["RUNBOOK_BECOME_PASSWORD"];
  const abort = new AbortController();
  let interrupts = 0;
  const onInterrupt = (): void => {
    interrupts += 1;
    if (interrupts > 1) process.exit(ExitCode.interrupted);
    process.stderr.write("\n[interrupted]: finishing the tasks under way; press Ctrl-C again to quit at once\n");
    abort.abort();
  };
  process.on("SIGINT", onInterrupt);
  const options = executorOptions(flags, abort.signal, becomePassword);
  const listeners = [consoleReporter({ write, color, verbosity: flags.verbose ?? 0, check: options.check, diff: options.diff })];
  if (flags.json) listeners.push(jsonReporter((text) => process.stdout.write(text)));
  try {
    const summary = await runPlaybook({
      playbook,
      inventory,
      options,
      listeners,
      connection: { hostKeyChecking: flags.acceptNewHostKeys ? "accept-new" : undefined },
    });
    return summary.exitCode;
  } finally {
    process.off("SIGINT", onInterrupt);
  }
}

function jsonError(error: unknown): Record<string, unknown> {
  const message = error instanceof Error ? error.message : String(error);
  const located = error instanceof RunbookError ? { location: error.location, hint: error.hint } : {};
  return { exitCode: exitCodeFor(error), error: { message, ...located }, hosts: {}, tasks: [] };
}
