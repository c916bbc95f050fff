/**
 * vitest globalSetup for the integration project: one light lab, `itest`, with 12 hosts, made
 * once per suite run and torn down afterwards (also when tests or the setup itself fail).
 *
 * How a test file uses it:
 *
 *   import { describe, inject } from "vitest";
 *   import { isLabReady } from "./setup/lab.js";
 *
 *   const lab = inject("lab");
 *   describe.skipIf(!isLabReady(lab))("my real-host test", () => {
 *     // here: lab.inventoryFile, lab.keyFile, lab.knownHostsFile, lab.hosts[i].address ...
 *   });
 *
 * When the machine cannot host a lab (not root, no namespaces, missing tools), `lab` is
 * `{ skipReason }` and such suites are skipped. A lab that should come up but does not fails
 * the run instead of skipping silently. When another project (worktree) on this machine has
 * `itest` up, this run uses `itest-<hash of this directory>` instead of touching it.
 */
import type { TestProject } from "vitest/node";
import { labDown, labInUseElsewhere, labUnavailableReason, labUp, type LabInfo } from "../../../src/lab/index.js";
import { worktreeTag } from "../lab-helpers.js";

/** RUNBOOK_TEST_LAB names the suite's lab, so test runs in several worktrees on one machine do not collide. */
export const SUITE_LAB = process.env["RUNBOOK_TEST_LAB"] ?? "itest";
export const SUITE_LAB_HOSTS = 12;

export type SuiteLab = LabInfo | { readonly skipReason: string };

declare module "vitest" {
  export interface ProvidedContext {
    lab: SuiteLab;
  }
}

export function isLabReady(lab: SuiteLab): lab is LabInfo {
  return !("skipReason" in lab);
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const reason = labUnavailableReason();
  if (reason !== undefined) {
    project.provide("lab", { skipReason: reason });
    return undefined;
  }
  const name = (await labInUseElsewhere(SUITE_LAB)) ? `${SUITE_LAB}-${worktreeTag()}` : SUITE_LAB;
  try {
    project.provide("lab", await labUp({ name, hosts: SUITE_LAB_HOSTS }));
  } catch (error) {
    await labDown(name);
    throw error;
  }
  return async () => {
    await labDown(name);
  };
}
