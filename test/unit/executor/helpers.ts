/** Runs fixture playbooks on "hosts" that are the controller itself (local connection). */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RunEvent, TaskResult } from "../../../src/executor/events.js";
import { defaultExecutorOptions, type ExecutorOptions } from "../../../src/executor/options.js";
import { runPlaybook, type RunSummary } from "../../../src/executor/run.js";
import { withExitCode } from "../../../src/cli/exit-codes.js";
import { loadInventories } from "../../../src/inventory/load.js";
import { moduleCatalog } from "../../../src/modules/registry.js";
import { loadPlaybook } from "../../../src/playbook/load.js";

export const fixtures = join(import.meta.dirname, "../../fixtures/executor");

export interface Run {
  readonly summary: RunSummary & { readonly exitCode: number };
  readonly events: RunEvent[];
  readonly root: string;
  /** Results of one task by host. */
  results(task: string): Map<string, TaskResult>;
  /** "task@host" in the order results arrived. */
  order(): string[];
}

export async function runFixture(playbook: string, options: Partial<ExecutorOptions> = {}, root?: string): Promise<Run> {
  const dir = root ?? mkdtempSync(join(tmpdir(), "runbook-exec-"));
  const events: RunEvent[] = [];
  const summary = withExitCode(await runPlaybook({
    playbook: loadPlaybook(join(fixtures, playbook), { catalog: moduleCatalog }),
    inventory: loadInventories([join(fixtures, "inventory.ini")]),
    options: { ...defaultExecutorOptions, ...options, extraVars: { root: dir, ...options.extraVars } },
    listeners: [(event) => events.push(event)],
  }));
  return {
    summary,
    events,
    root: dir,
    results(task) {
      const map = new Map<string, TaskResult>();
      for (const event of events) if (event.type === "task-result" && event.task.name === task) map.set(event.result.host, event.result);
      return map;
    },
    order() {
      return events.flatMap((event) => (event.type === "task-result" ? [`${event.task.name}@${event.result.host}`] : []));
    },
  };
}
