/**
 * The stress generator (test/stress/generator.ts): pure and seeded, and what it makes is a
 * playbook runbook loads and pre-flights without error, writing only below the test root.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { defaultExecutorOptions } from "../../../src/executor/options.js";
import { preflightCheck } from "../../../src/executor/preflight.js";
import { loadInventories } from "../../../src/inventory/load.js";
import { moduleCatalog } from "../../../src/modules/registry.js";
import { loadPlaybook } from "../../../src/playbook/load.js";
import { DEFAULT_ROOT, generateCase, type StressCase } from "../../stress/generator.js";

const HOSTS = ["h1", "h2", "h3"];
const SEEDS = Array.from({ length: 40 }, (_, index) => index * 7919 + 1);

type Play = { tasks: Record<string, unknown>[]; handlers?: Record<string, unknown>[] };

function plays(stressCase: StressCase): Play[] {
  return parse(stressCase.playbook) as Play[];
}

function allTasks(stressCase: StressCase): Record<string, unknown>[] {
  return plays(stressCase).flatMap((play) => [...play.tasks, ...(play.handlers ?? [])]);
}

describe("stress generator", () => {
  it("gives the same case for the same seed, and other playbooks for other seeds", () => {
    expect(generateCase(42, HOSTS)).toEqual(generateCase(42, HOSTS));
    const playbooks = new Set(SEEDS.map((seed) => generateCase(seed, HOSTS).playbook));
    expect(playbooks.size).toBe(SEEDS.length);
  });

  it("draws the playbook independently of the host list", () => {
    expect(generateCase(7, ["a"]).playbook).toBe(generateCase(7, HOSTS).playbook);
  });

  it.each(SEEDS)("seed %i loads, pre-flights and writes only below the root", (seed) => {
    const stressCase = generateCase(seed, HOSTS);
    const dir = mkdtempSync(join(tmpdir(), "rb-stress-gen-"));
    writeFileSync(join(dir, "play.yaml"), stressCase.playbook);
    writeFileSync(join(dir, "vars.yaml"), stressCase.inventory);
    for (const [name, text] of Object.entries(stressCase.files)) writeFileSync(join(dir, name), text);
    const playbook = loadPlaybook(join(dir, "play.yaml"), { catalog: moduleCatalog });
    const inventory = loadInventories([join(dir, "vars.yaml")]);
    expect([...inventory.hosts.keys()].sort()).toEqual(HOSTS);
    expect(preflightCheck({ playbook, inventory, options: defaultExecutorOptions })?.message).toBeUndefined();
    for (const task of allTasks(stressCase)) {
      const args = Object.values(task).find((value) => typeof value === "object" && value !== null && !Array.isArray(value)) as Record<string, unknown>;
      for (const key of ["path", "dest", "creates", "removes"]) {
        if (args[key] !== undefined) expect(String(args[key]).startsWith(`${DEFAULT_ROOT}/`), `${task["name"]}: ${key}`).toBe(true);
      }
    }
  });

  it.each(SEEDS)("seed %i names every task once and notifies only handlers it defines", (seed) => {
    const stressCase = generateCase(seed, HOSTS);
    const tasks = plays(stressCase).flatMap((play) => play.tasks);
    const names = tasks.map((task) => String(task["name"]));
    expect(new Set(names).size).toBe(names.length);
    const handlers = new Set(plays(stressCase).flatMap((play) => (play.handlers ?? []).map((handler) => String(handler["name"]))));
    for (const task of tasks) if (task["notify"] !== undefined) expect(handlers).toContain(task["notify"]);
    for (const name of stressCase.mayChangeOnRerun) expect([...names, ...handlers]).toContain(name);
  });

  it("uses every kind of step over a few dozen seeds", () => {
    const text = SEEDS.map((seed) => generateCase(seed, HOSTS).playbook).join("\n");
    for (const needle of ["lineinfile:", "blockinfile:", "template:", "copy:", "creates:", "removes:", "state: link", "state: touch", "state: absent", "loop:", "notify:", "register:", "is changed", "rb_variant"]) {
      expect(text, needle).toContain(needle);
    }
  });

  it("marks what always changes: touch and commands without creates may change on a rerun", () => {
    for (const seed of SEEDS) {
      const stressCase = generateCase(seed, HOSTS);
      const allowed = new Set(stressCase.mayChangeOnRerun);
      for (const task of plays(stressCase).flatMap((play) => play.tasks)) {
        const file = task["file"] as { state?: string } | undefined;
        const command = task["command"] as { creates?: string; removes?: string } | undefined;
        const alwaysChanges = file?.state === "touch" || (command !== undefined && command.creates === undefined && command.removes === undefined);
        if (alwaysChanges) expect(allowed.has(String(task["name"])), String(task["name"])).toBe(true);
      }
    }
  });
});
