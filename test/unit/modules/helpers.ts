/** Test-side helpers: a fake PlanContext, probe outputs, and golden cases as data. */
import { createHash } from "node:crypto";
import { expect } from "vitest";
import type { Facts } from "../../../src/facts/types.js";
import { Predictions } from "../../../src/executor/predictions.js";
import type { z } from "zod";
import type { Effect, Fact, ModuleDefinition, Plan, PlanContext, ProbeResult, Step } from "../../../src/modules/types.js";

export const debianFacts = {
  hostname: "web1",
  fqdn: "web1.example",
  os: { family: "Debian", distribution: "Debian", version: "12", majorVersion: "12" },
  packageManager: "apt",
  serviceManager: "systemd",
  kernel: "6.1.0",
  arch: "x86_64",
  cpus: 2,
  memoryMb: 2048,
  user: "root",
  interfaces: {},
} satisfies Facts;

export interface ContextOptions {
  readonly facts?: Facts | undefined;
  readonly vars?: Record<string, unknown>;
  readonly files?: Record<string, string>;
  readonly templates?: Record<string, string>;
  readonly artifactsDir?: string;
  /** Controller files' modes (default 0644). */
  readonly modes?: Record<string, string>;
  /** Files at absolute controller paths (fetch's dest). */
  readonly controllerFiles?: Record<string, string>;
  /** Plan as in --check. */
  readonly check?: boolean;
}

export function fakeContext(options: ContextOptions = {}): PlanContext {
  return {
    host: "web1",
    facts: "facts" in options ? options.facts : debianFacts,
    vars: options.vars ?? {},
    check: options.check ?? false,
    readLocalFile: (path) => {
      const content = options.files?.[path];
      if (content === undefined) throw new Error(`no such controller file ${path}`);
      return Buffer.from(content);
    },
    localFileMode: (path) => {
      if (options.files?.[path] === undefined) throw new Error(`no such controller file ${path}`);
      return options.modes?.[path] ?? "0644";
    },
    controllerPath: (path) => (path.startsWith("/") ? path : `/playbook/${path}`),
    readControllerFile: (path) => {
      const content = options.controllerFiles?.[path];
      return content === undefined ? undefined : Buffer.from(content);
    },
    renderTemplate: (path) => {
      const content = options.templates?.[path];
      if (content === undefined) throw new Error(`no such template ${path}`);
      return content;
    },
    artifactPath: (name) => `${options.artifactsDir ?? "/nonexistent"}/${name}`,
  };
}

export const ok = (stdout = ""): ProbeResult => ({ rc: 0, stdout, stderr: "" });
export const rc = (code: number, stdout = "", stderr = ""): ProbeResult => ({ rc: code, stdout, stderr });

export const sha = (text: string): string => createHash("sha256").update(text).digest("hex");

/** fileStateProbe output for a missing path. */
export const absent = (): ProbeResult => ok("absent\n");

/** fileStateProbe output for an existing path. */
export function present(options: {
  kind?: "file" | "directory" | "link";
  mode?: string;
  owner?: string;
  group?: string;
  content?: string;
  target?: string;
  inode?: string;
}): ProbeResult {
  const kind = options.kind ?? "file";
  const type = kind === "file" ? "regular file" : kind === "link" ? "symbolic link" : "directory";
  const owner = options.owner ?? "root";
  const group = options.group ?? "root";
  const ids = (name: string): string => (name === "root" ? "0" : "1000");
  let out = `${type}|${options.mode ?? "644"}|${owner}|${group}|${ids(owner)}|${ids(group)}|${options.content?.length ?? 0}|2049:${options.inode ?? "77"}\n`;
  if (options.content !== undefined) out += `sha256 ${sha(options.content)}\n`;
  if (options.target !== undefined) out += `link ${options.target}\n`;
  return ok(out);
}

/** A step in golden form: a run step is its argv; a put step is {put, content, mode, owner, group}; a fetch {fetch, dest, sha256}; a reconnect step as it is. */
export type GoldenStep =
  | readonly string[]
  | { put: string; content: string; mode?: string; owner?: string; group?: string }
  | { fetch: string; dest: string; sha256?: string }
  | Extract<Step, { kind: "reconnect" }>;

export function goldenStep(step: Step): GoldenStep {
  if (step.kind === "run") return [...step.argv];
  if (step.kind === "reconnect") return step;
  if (step.kind === "fetch") return step.sha256 === undefined ? { fetch: step.src, dest: step.dest } : { fetch: step.src, dest: step.dest, sha256: step.sha256 };
  const put: { put: string; content: string; mode?: string; owner?: string; group?: string } = { put: step.path, content: step.content.toString("utf8") };
  if (step.mode !== undefined) put.mode = step.mode;
  if (step.owner !== undefined) put.owner = step.owner;
  if (step.group !== undefined) put.group = step.group;
  return put;
}

export interface GoldenCase {
  readonly name: string;
  readonly args: unknown;
  readonly context?: ContextOptions;
  /** Captured outputs of the module's facts, by name... */
  readonly facts?: Readonly<Record<string, ProbeResult>>;
  /** ...or in the order the module asks for them (the facts it leaves undefined do not count). */
  readonly probes?: readonly ProbeResult[];
  readonly expect: {
    readonly steps?: readonly GoldenStep[];
    readonly changed?: boolean;
    /** The module declines to act (Plan `skip`). */
    readonly skipped?: boolean;
    readonly failed?: string | RegExp;
    readonly diffs?: readonly { path: string; before: string; after: string }[];
    readonly probeCount?: number;
    readonly setFacts?: Record<string, unknown>;
    readonly data?: Record<string, unknown>;
    readonly effects?: readonly Effect[];
    readonly msg?: string | RegExp;
  };
}

/** Any one module, typed by its own schema and facts. */
export interface AnyModule {
  readonly name: string;
  readonly schema: z.ZodType;
}

/** A module at the registry's erased type (its plan's argument types are contravariant). */
export function asModule(definition: AnyModule): ModuleDefinition {
  return definition as unknown as ModuleDefinition;
}

/**
 * What the executor does with captured fact outputs: parse each (a parser that throws fails
 * the task, as in the run: that is a `fail` plan here), then plan.
 */
export function planWith(definition: AnyModule, args: unknown, outputs: { facts?: Readonly<Record<string, ProbeResult>>; probes?: readonly ProbeResult[] }, ctx: PlanContext): Plan {
  const module = asModule(definition);
  const requests = Object.entries(module.facts?.(args, ctx) ?? {});
  const values: Record<string, unknown> = {};
  let position = 0;
  for (const [name, fact] of requests) {
    if (fact === undefined) continue;
    const output = outputs.facts?.[name] ?? outputs.probes?.[position] ?? { rc: 1, stdout: "", stderr: `no captured output for fact '${name}'` };
    position += 1;
    try {
      values[name] = fact.parse(output);
    } catch (error) {
      return { kind: "fail", error: error instanceof Error ? error.message : String(error) };
    }
  }
  return module.plan(args, values, ctx);
}

/** The facts a module asks for with these arguments (the defined ones, in order). */
export function factsOf(definition: AnyModule, args: unknown, ctx: PlanContext = fakeContext()): Fact<unknown>[] {
  return Object.values(asModule(definition).facts?.(args, ctx) ?? {}).filter((fact): fact is Fact<unknown> => fact !== undefined);
}

export const stepsOf = (plan: Plan): readonly Step[] => (plan.kind === "fail" || plan.kind === "skip" ? [] : (plan.steps ?? []));

/** Parses the args, checks the fact count, plans, and compares with the expectation. */
export function runGolden(definition: AnyModule, golden: GoldenCase): Plan {
  const args = definition.schema.parse(golden.args);
  const ctx = fakeContext(golden.context);
  if (golden.expect.probeCount !== undefined) expect(factsOf(definition, args, ctx)).toHaveLength(golden.expect.probeCount);
  const plan = planWith(definition, args, golden, ctx);
  const { expect: want } = golden;
  if (want.failed !== undefined) {
    expect(plan.kind === "fail" ? plan.error : undefined).toMatch(want.failed);
  } else {
    expect(plan.kind === "fail" ? plan.error : undefined).toBeUndefined();
  }
  if (want.steps !== undefined) expect(stepsOf(plan).map(goldenStep)).toEqual(want.steps);
  if (want.changed !== undefined) expect(plan.kind === "change").toBe(want.changed);
  if (want.skipped !== undefined) expect(plan.kind === "skip").toBe(want.skipped);
  if (want.diffs !== undefined) expect(plan.kind === "change" ? (plan.diffs ?? []) : []).toEqual(want.diffs);
  if (want.setFacts !== undefined) expect(plan.kind === "ok" ? plan.setFacts : undefined).toEqual(want.setFacts);
  if (want.data !== undefined) expect(plan.data).toMatchObject(want.data);
  if (want.effects !== undefined) expect(plan.kind === "change" ? plan.effects : undefined).toEqual(want.effects);
  if (want.msg !== undefined) expect(plan.msg).toMatch(want.msg);
  return plan;
}

export interface SchemaCase {
  readonly name: string;
  readonly args: unknown;
  /** Expected issues, matched loosely (message substring, hint substring). */
  readonly issues: readonly { path: readonly (string | number)[]; message: string | RegExp; hint?: string | RegExp }[];
}

/** What planning in check mode gave: a plan, or "unknown" when a fact's prediction could not be told. */
export type CheckModePlan = Plan | { readonly kind: "unknown"; readonly why: string };

/**
 * Check mode's view of a task after earlier would-be changes: `effects` are recorded as the
 * executor records them, and every fact whose subject they touch reads its prediction. A fact
 * they do not touch takes its captured output from `outputs` (by name), else it fails.
 */
export function planAfter(definition: AnyModule, rawArgs: unknown, effects: readonly Effect[], outputs: Readonly<Record<string, ProbeResult>> = {}, context?: ContextOptions): CheckModePlan {
  const predictions = new Predictions();
  predictions.record(effects, "an earlier task");
  const module = asModule(definition);
  const args = definition.schema.parse(rawArgs);
  const ctx = fakeContext(context);
  const values: Record<string, unknown> = {};
  for (const [name, fact] of Object.entries(module.facts?.(args, ctx) ?? {})) {
    if (fact === undefined) continue;
    const predicted = fact.subject === undefined ? undefined : predictions.lookup(fact.subject);
    if (predicted === undefined) {
      values[name] = fact.parse(outputs[name] ?? { rc: 1, stdout: "", stderr: `no captured output for fact '${name}'` });
      continue;
    }
    const value = fact.predict?.(predicted.after);
    if (value === undefined) return { kind: "unknown", why: `${fact.subject ?? name} cannot be predicted` };
    values[name] = value;
  }
  return module.plan(args, values, ctx);
}

/** The effects of a plan that must be a change. */
export function effectsOf(plan: CheckModePlan): readonly Effect[] {
  expect(plan.kind, "expected a change").toBe("change");
  return plan.kind === "change" ? (plan.effects ?? []) : [];
}

/** The effect of writing a file (a put): the path, its content and attributes. */
export function written(path: string, content: string, attributes: { mode?: string; owner?: string; group?: string } = {}): Effect {
  return { kind: "path", path, after: { exists: true, kind: "file", content: Buffer.from(content), ...attributes } };
}
