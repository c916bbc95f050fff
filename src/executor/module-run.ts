/**
 * One module invocation on one host: render nothing, decide nothing about loops or conditions;
 * just probe -> plan -> (apply unless check mode). Returns what happened as data.
 * Probes go through the run's ProbeCache when one is given (see probe-cache.ts).
 */
import { join, resolve } from "node:path";
import type { Facts } from "../facts/types.js";
import type { FileDiff, ModuleDefinition, PlanContext, Probe, ProbeResult } from "../modules/types.js";
import type { Playbook, RoleInfo, Vars } from "../playbook/model.js";
import { renderTemplateFile } from "../template/index.js";
import type { BecomeOptions, Transport } from "../transport/types.js";
import { findLocalFile, projectRoot, readLocalFile } from "./local-files.js";
import type { ProbeCache } from "./probe-cache.js";
import { probeKey } from "./probe-cache.js";
import { applySteps, describeStep, runProbes } from "./remote.js";

export interface ModuleOutcome {
  readonly status: "ok" | "changed" | "failed";
  readonly msg?: string | undefined;
  readonly commands: readonly string[];
  readonly diffs?: readonly FileDiff[] | undefined;
  readonly rc?: number | undefined;
  readonly stdout?: string | undefined;
  readonly stderr?: string | undefined;
  readonly data?: Readonly<Record<string, unknown>> | undefined;
  readonly setFacts?: Readonly<Record<string, unknown>> | undefined;
  readonly facts?: Readonly<Record<string, unknown>> | undefined;
}

export interface ModuleRunInput {
  readonly module: ModuleDefinition;
  readonly args: unknown;
  readonly host: string;
  readonly facts: Facts | undefined;
  readonly vars: Vars;
  readonly check: boolean;
  readonly playbook: Playbook;
  readonly role: RoleInfo | undefined;
  readonly transport: Transport;
  readonly become: BecomeOptions | undefined;
  readonly timeoutMs?: number | undefined;
  readonly env?: Readonly<Record<string, string>> | undefined;
  /** Results read ahead; without it every probe goes to the host. */
  readonly probeCache?: ProbeCache | undefined;
  /** The following tasks' probes, to send along when this task has to ask the host anyway. */
  readonly prefetch?: (() => readonly Probe[]) | undefined;
}

export async function runModule(input: ModuleRunInput): Promise<ModuleOutcome> {
  const { module, args, transport, become } = input;
  const ctx = planContext(input);
  const probes = module.local ? [] : (module.probe?.(args, ctx) ?? []);
  const state = await probeState(input, probes);
  const plan = module.plan(args, state, ctx);
  const planned = plan.steps.map(describeStep);
  const changed = plan.changed ?? plan.steps.length > 0;
  const base = { msg: plan.msg, diffs: plan.diffs, data: plan.data, setFacts: plan.setFacts, facts: plan.facts };
  if (plan.failed !== undefined) {
    return { ...base, status: "failed", msg: plan.failed, commands: planned };
  }
  if (input.check || plan.steps.length === 0) {
    return { ...base, status: changed ? "changed" : "ok", commands: planned };
  }
  // The host is about to change: results read before (or in flight now) no longer hold.
  input.probeCache?.invalidate(transport.host);
  const outcome = await applySteps(transport, plan.steps, become, { timeoutMs: input.timeoutMs, env: input.env }).finally(() =>
    input.probeCache?.invalidate(transport.host),
  );
  const output = { rc: outcome.last?.rc, stdout: outcome.last?.stdout, stderr: outcome.last?.stderr };
  if (!outcome.ok) {
    return { ...base, ...output, status: "failed", msg: outcome.error, commands: outcome.commands };
  }
  return { ...base, ...output, status: changed ? "changed" : "ok", commands: outcome.commands };
}

/** The probes' results: from the cache when all are there, else from the host together with the prefetch. */
async function probeState(input: ModuleRunInput, probes: readonly Probe[]): Promise<ProbeResult[]> {
  const { probeCache: cache, transport, become } = input;
  if (cache === undefined || probes.length === 0) return runProbes(transport, probes, become, input.timeoutMs);
  const cached = cache.take(transport.host, probes, become);
  if (cached) return cached;
  const seen = new Set(probes.map((probe) => probeKey(probe, become)));
  const extra = (input.prefetch?.() ?? []).filter((probe) => {
    const key = probeKey(probe, become);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const all = [...probes, ...extra];
  const generation = cache.generation(transport.host);
  const results = await runProbes(transport, all, become, input.timeoutMs);
  cache.store(transport.host, generation, all, results, become);
  return results.slice(0, probes.length);
}

/** What a plan needs to know besides the module's arguments and probe results. */
export type PlanInput = Pick<ModuleRunInput, "host" | "facts" | "vars" | "check" | "playbook" | "role">;

export function planContext(input: PlanInput): PlanContext {
  const { playbook, role, vars } = input;
  return {
    host: input.host,
    facts: input.facts,
    vars,
    check: input.check,
    readLocalFile: (path) => readLocalFile(findLocalFile(path, "files", playbook, role)),
    renderTemplate: (path) => {
      const file = findLocalFile(path, "templates", playbook, role);
      return renderTemplateFile(file, readLocalFile(file).toString("utf8"), vars);
    },
    artifactPath: (name) => {
      const dir = typeof vars["artifacts_dir"] === "string" ? vars["artifacts_dir"] : join(projectRoot(playbook), "artifacts");
      return resolve(projectRoot(playbook), dir, name);
    },
  };
}
