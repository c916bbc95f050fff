/** Command-line options of `runbook PLAYBOOK`, as commander hands them over, turned into executor options. */
import { existsSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { OptionsError, RunbookError } from "../errors.js";
import type { ExecutorOptions } from "../executor/options.js";
import type { Vars } from "../playbook/model.js";
import { resolveLimit } from "./last-failed.js";

export interface RunFlags {
  inventory?: string[];
  limit?: string;
  tags?: string[];
  skipTags?: string[];
  role?: string;
  check?: boolean;
  diff?: boolean;
  forks?: string;
  extraVars?: string[];
  startAtTask?: string;
  listHosts?: boolean;
  listTasks?: boolean;
  syntaxCheck?: boolean;
  json?: boolean;
  junit?: string;
  report?: string;
  timings?: boolean;
  /** `--no-progress` sets it false: plain lines even on a terminal. */
  progress?: boolean;
  verbose?: number;
  timeout?: string;
  acceptNewHostKeys?: boolean;
  user?: string;
  askBecomePass?: boolean;
  vaultPasswordFile?: string;
  askVaultPass?: boolean;
}

/** `extraVars`: -e as the loader already parsed it (an @file is read once). The become password is added by the caller. */
export function executorOptions(flags: RunFlags, signal: AbortSignal, extraVars: Vars): ExecutorOptions {
  return {
    forks: positiveInteger(flags.forks ?? "50", "--forks"),
    check: flags.check ?? false,
    diff: flags.diff ?? false,
    limit: resolveLimit(flags.limit),
    ...tagSelection(flags),
    role: flags.role,
    startAtTask: flags.startAtTask,
    extraVars,
    remoteUser: flags.user,
    commandTimeoutMs: flags.timeout === undefined ? undefined : positiveInteger(flags.timeout, "--timeout") * 1000,
    readAhead: process.env["RUNBOOK_READ_AHEAD"] !== "off",
    batch: process.env["RUNBOOK_BATCH"] !== "off",
    signal,
  };
}

/** -i given, or inventory/hosts.{yaml,yml,ini} in the playbook's project, or in the current directory. */
export function inventoryPaths(flags: RunFlags, playbookFile: string): string[] {
  if (flags.inventory && flags.inventory.length > 0) {
    for (const path of flags.inventory) {
      if (!existsSync(path)) throw new RunbookError("runtime", `inventory '${path}' does not exist`, { hint: "give an inventory file or directory with -i" });
    }
    return flags.inventory.map((path) => resolve(path));
  }
  const playbookDir = dirname(resolve(playbookFile));
  const projectDir = basename(playbookDir) === "playbooks" ? dirname(playbookDir) : playbookDir;
  const candidates = [projectDir, process.cwd()].flatMap((dir) => ["hosts.yaml", "hosts.yml", "hosts.ini", "hosts"].map((name) => join(dir, "inventory", name)));
  const found = candidates.find((path) => existsSync(path));
  if (!found) {
    throw new OptionsError("no inventory given and none found", {
      hint: `pass -i INVENTORY, or create ${join(projectDir, "inventory", "hosts.yaml")}`,
    });
  }
  return [found];
}

/** --tags and --skip-tags as lists (each flag repeatable and comma-separated). */
export function tagSelection(flags: RunFlags): { tags: string[]; skipTags: string[] } {
  return { tags: splitList(flags.tags), skipTags: splitList(flags.skipTags) };
}

function splitList(values: readonly string[] | undefined): string[] {
  return (values ?? []).flatMap((value) => value.split(",")).map((tag) => tag.trim()).filter(Boolean);
}

function positiveInteger(value: string, flag: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new OptionsError(`${flag} expects a positive whole number, got '${value}'`, { kind: "usage", hint: `e.g. ${flag} 10` });
  return number;
}
