/**
 * `runbook lab ...` subcommands (commander). Actions throw RunbookErrors for the CLI's error
 * printer; `ssh` and `exec` report the command's own exit status through `setExitCode`.
 * The program gets positional options, so the playbook runner's options (-e, -f, ...) are not
 * taken from a command line after `lab`: `runbook lab exec h1 -- ps -ef` keeps its `-ef`.
 */
import { spawn } from "node:child_process";
import { Command, InvalidArgumentError, Option } from "commander";
import { hostExecArgv, labDown, labStatus, labUp, sshArgv, type LabStatus } from "./index.js";
import { DEFAULT_LAB } from "./naming.js";

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function positiveInteger(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new InvalidArgumentError("expected a whole number >= 1");
  return Number(value);
}

function list(value: string): string[] {
  return value.split(",").map((item) => item.trim()).filter(Boolean);
}

interface UpFlags {
  inventory: string[];
  hosts?: number;
  name: string;
  subnet?: string;
  init: "light" | "systemd";
  nat?: boolean;
  underlay?: boolean;
  packages?: string[];
}

export function formatStatus(status: LabStatus): string {
  if (!status.exists) return `lab ${status.name} is not up\n`;
  const rows = [["HOST", "ADDRESS", "PID", "SSHD"], ...status.hosts.map((h) => [h.name, h.address, h.running ? String(h.pid) : "-", h.sshd ? "up" : "down"])];
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? "").length))) ?? [];
  const lines = rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join("  ").trimEnd());
  return `lab ${status.name} (${status.init}, ${status.subnet})\n${lines.join("\n")}\n`;
}

/** With pass-through options commander keeps the `--` that ends our options: drop it. */
function commandAfterDashes(command: readonly string[]): string[] {
  return command[0] === "--" ? command.slice(1) : [...command];
}

/** Runs the words as `ssh host WORDS...` would: joined with spaces, read by a shell. */
function shellCommand(words: readonly string[]): string[] {
  return words.length === 0 ? [] : ["sh", "-c", words.join(" ")];
}

function runInherited(argv: readonly string[]): Promise<number> {
  const [command, ...args] = argv;
  return new Promise((resolve, reject) => {
    const child = spawn(command ?? "ssh", args, { stdio: "inherit" });
    child.on("error", reject);
    child.on("close", (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

export function registerLabCommands(
  program: Command,
  setExitCode: (code: number) => void = (code) => {
    process.exitCode = code;
  },
): Command {
  program.enablePositionalOptions();
  const lab = program.command("lab").description("real SSH test hosts on this machine (namespaces, no Docker)");
  const nameOption = (): Option => new Option("--name <lab>", "lab name").default(DEFAULT_LAB);

  lab
    .command("up")
    .description("create the lab's hosts (idempotent) and write .runbook/lab/NAME/inventory.yaml")
    .option("-i, --inventory <file>", "inventory whose hosts in the lab subnet become lab hosts (repeatable)", collect, [])
    .option("--hosts <n>", "generate N hosts h1..hN instead", positiveInteger)
    .addOption(nameOption())
    .option("--subnet <cidr>", "lab subnet (default 10.88.0.0/24 for 'default', derived from the name otherwise)")
    .addOption(new Option("--init <kind>", "host kind").choices(["light", "systemd"]).default("light"))
    .option("--nat", "let hosts reach the Debian mirror and the resolver (nothing else)")
    .option("--underlay", "give each host a second NIC eth1 on a second lab bridge")
    .option("--packages <list>", "extra Debian packages in the systemd rootfs (comma separated)", list)
    .action(async (flags: UpFlags) => {
      const started = Date.now();
      const info = await labUp({
        name: flags.name,
        hosts: flags.hosts,
        inventories: flags.inventory,
        subnet: flags.subnet,
        init: flags.init,
        nat: flags.nat,
        underlay: flags.underlay,
        packages: flags.packages,
      });
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      process.stdout.write(`lab ${info.name} up: ${info.hosts.length} hosts in ${info.subnet} (${seconds} s)\n`);
      process.stdout.write(`inventory: ${info.inventoryFile}\n`);
    });

  lab
    .command("down")
    .description("stop the lab's hosts and remove everything it made")
    .addOption(nameOption())
    .action(async (flags: { name: string }) => {
      await labDown(flags.name);
      process.stdout.write(`lab ${flags.name} down\n`);
    });

  lab
    .command("status")
    .description("show the lab's hosts: address, pid, whether sshd answers")
    .addOption(nameOption())
    .action(async (flags: { name: string }) => {
      process.stdout.write(formatStatus(await labStatus(flags.name)));
    });

  lab
    .command("ssh")
    .description("log into a lab host with the system ssh (lab key, host-key checking on)")
    .argument("<host>", "host name or address")
    .argument("[command...]", "command to run instead of a shell (after --)")
    .addOption(nameOption())
    .passThroughOptions()
    .action(async (host: string, command: string[], flags: { name: string }) => {
      setExitCode(await runInherited(sshArgv(flags.name, host, commandAfterDashes(command))));
    });

  lab
    .command("exec")
    .description("run a command inside a lab host's namespaces (no ssh)")
    .argument("<host>", "host name or address")
    .argument("<command...>", "the command (after --)")
    .addOption(nameOption())
    .passThroughOptions()
    .action(async (host: string, command: string[], flags: { name: string }) => {
      // like ssh (and `lab ssh`): the words are one command line for the host's shell
      setExitCode(await runInherited(hostExecArgv(flags.name, host, shellCommand(commandAfterDashes(command)))));
    });
  return lab;
}
