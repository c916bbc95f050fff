/** Entry point: parses argv, runs a subcommand, maps errors to Ansible's exit codes. */
import { Chalk } from "chalk";
import { Command, CommanderError, Option } from "commander";
import { ExitCode, OptionsError } from "../errors.js";
import { exitCodeFor } from "./exit-codes.js";
import { registerLabCommands } from "../lab/cli.js";
import { formatError } from "../report/error-format.js";
import { maskSecrets } from "../report/mask.js";
import { registerDocCommand } from "./doc.js";
import { runCommand } from "./run.js";
import { registerSchemaCommand } from "./schema.js";
import { registerVaultCommands } from "./vault.js";
import type { RunFlags } from "./run-options.js";
import packageJson from "../../package.json" with { type: "json" };

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export async function main(argv: readonly string[]): Promise<number> {
  // `runbook doc --list | head` closes the pipe early: that is the reader's choice, not an error.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(ExitCode.ok);
    throw error;
  });
  let exitCode: number = ExitCode.ok;
  let verbosity = 0;
  // secret values (vault, become password) found while running: masked in error messages too
  const secrets = new Set<string>();
  const program = new Command("runbook")
    .description("Run YAML playbooks against an Ansible-style inventory over SSH.")
    .version(`runbook ${packageJson.version}`, "--version", "print runbook's version and exit")
    .argument("<playbook>", "the playbook to run, e.g. playbooks/site.yaml")
    .option("-i, --inventory <path>", "inventory file or directory (repeatable; merged in order)", collect)
    .option("-l, --limit <pattern>", "only hosts matching this pattern")
    .option("-t, --tags <tags>", "only tasks with these tags (comma-separated, repeatable)", collect)
    .option("--skip-tags <tags>", "skip tasks with these tags (comma-separated, repeatable)", collect)
    .option("--role <name>", "run only this role's tasks, in the plays that include it")
    .option("-C, --check", "plan only: show what would change, change nothing")
    .option("-D, --diff", "show unified diffs of the files that change (or would)")
    .option("-f, --forks <n>", "hosts worked on at once", "50")
    .option("-e, --extra-vars <vars>", "key=value, a JSON/YAML mapping, or @file.yaml (repeatable)", collect)
    .option("--start-at-task <name>", "skip tasks until the one with this name")
    .option("--list-hosts", "print the hosts each play would run on, then exit")
    .option("--list-tasks", "print the tasks each play would run, then exit")
    .option("--syntax-check", "load and validate everything, run nothing")
    .option("--json", "print one JSON document with the results on stdout (the console report goes to stderr)")
    .option("--junit <file>", "write a JUnit XML report (one testcase per host and task)")
    .option("--report <file>", "write a self-contained HTML report: recap and a timeline per host")
    .option("--timings", "print per-task and per-role times at the end, slowest first")
    .option("--no-progress", "plain lines even on a terminal (no live progress view)")
    .option("--timeout <seconds>", "fail a command that runs longer than this")
    .option("--vault-password-file <file>", "decrypt vault-encrypted vars files with the password in this file (or RUNBOOK_VAULT_PASSWORD_FILE)")
    .option("--ask-vault-pass", "ask for the vault password")
    .option("-u, --user <name>", "log in as this user where neither the inventory (ansible_user) nor a remote_user names one")
    .option("--accept-new-host-keys", "accept and record unknown SSH host keys (a changed key is still refused)")
    .addOption(new Option("-K, --ask-become-pass", "ask for the sudo password (or set RUNBOOK_BECOME_PASSWORD)"))
    .option("-v, --verbose", "more output: -v commands and output, -vv timings, -vvv connection details and stack traces", (_v, total: number) => total + 1, 0)
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text), writeOut: (text) => process.stdout.write(text), outputError: writeUsageError })
    .action(async (playbook: string, flags: RunFlags) => {
      verbosity = flags.verbose ?? 0;
      exitCode = await runCommand(playbook, flags, secrets);
    });
  registerLabCommands(program, (code) => {
    exitCode = code;
  });
  registerSchemaCommand(program);
  registerDocCommand(program);
  registerVaultCommands(program);
  try {
    await program.parseAsync([...argv], { from: "user" });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.code === "commander.helpDisplayed" || error.code === "commander.version" || error.exitCode === 0 ? ExitCode.ok : exitCodeFor(new OptionsError(error.message, { kind: "usage" }));
    }
    const color = new Chalk({ level: process.stderr.isTTY ? 3 : 0 });
    process.stderr.write(`${maskSecrets(formatError(error, { color, verbosity }), secrets)}\n`);
    return exitCodeFor(error);
  }
}

/** Commander's own errors (unknown option, missing argument) in runbook's error layout. */
function writeUsageError(text: string, write: (text: string) => void): void {
  write(`ERROR! ${text.trim().replace(/^error: /, "")}\n  hint: run 'runbook --help' for usage\n`);
}
