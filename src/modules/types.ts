/**
 * The shape of a module. One zod schema gives the TypeScript type of the arguments, the YAML
 * validation, the editor JSON Schema and `runbook doc`. A module never touches a host: it
 * names the commands that read state (`probe`), and a pure `plan` turns their output into the
 * steps that close the gap. The executor runs probes (batched across tasks where it can), and
 * runs the steps unless in check mode. An empty plan is "ok".
 */
import type { z } from "zod";
import type { Facts } from "../facts/types.js";

/** The output of one probe command. */
export interface ProbeResult {
  readonly rc: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A command that reads state. It must not change the host. */
export interface Probe {
  readonly argv: readonly string[];
}

export type Step =
  | {
      readonly kind: "run";
      readonly argv: readonly string[];
      readonly stdin?: string | undefined;
      /** Exit codes that count as success; default [0]. */
      readonly okCodes?: readonly number[] | undefined;
      /** Human wording for check mode when the argv alone is unclear. */
      readonly describe?: string | undefined;
    }
  | {
      readonly kind: "put";
      readonly path: string;
      readonly content: Buffer;
      readonly mode?: string | undefined;
      readonly owner?: string | undefined;
      readonly group?: string | undefined;
    };

export interface FileDiff {
  readonly path: string;
  readonly before: string;
  readonly after: string;
}

export interface Plan {
  readonly steps: readonly Step[];
  /** Overrides "changed = steps.length > 0" (e.g. wait_for runs a step but changes nothing). */
  readonly changed?: boolean | undefined;
  /** Unified-diff material for --diff. */
  readonly diffs?: readonly FileDiff[] | undefined;
  /** Why nothing was needed, or what the steps do; shown with -v and in --json. */
  readonly msg?: string | undefined;
  /** The module decided the task fails (assert, fail, an impossible state). */
  readonly failed?: string | undefined;
  /** Variables set on the host (set_fact), with set_fact's precedence. */
  readonly setFacts?: Readonly<Record<string, unknown>> | undefined;
  /** Facts a facts module read from the host (service_facts): they join `ansible_facts` and are variables of their own. */
  readonly facts?: Readonly<Record<string, unknown>> | undefined;
  /** Extra fields for `register` (debug's msg, stat results, ...). */
  readonly data?: Readonly<Record<string, unknown>> | undefined;
}

/** What a module may know while planning: controller-side only, no host access. */
export interface PlanContext {
  readonly host: string;
  /** Undefined when the play has `gather_facts: false`. */
  readonly facts: Facts | undefined;
  readonly vars: Readonly<Record<string, unknown>>;
  readonly check: boolean;
  /** Reads a controller file named by a task (role files/, then the playbook dir). */
  readLocalFile(path: string): Buffer;
  /** Renders a template file (role templates/, then the playbook dir) with the task's vars. */
  renderTemplate(path: string): string;
  /** Resolves a path in the artifacts directory (`artifacts_dir`). */
  artifactPath(name: string): string;
}

export interface ModuleDefinition<S extends z.ZodType = z.ZodType> {
  readonly name: string;
  /** One line for `runbook doc --list`. */
  readonly summary: string;
  /** A YAML task using the module, for `runbook doc`. */
  readonly example: string;
  readonly schema: S;
  /** Runs entirely on the controller (debug, set_fact, assert, fail): no probes, no steps. */
  readonly local?: boolean;
  /** The facts the module sets (Plan.facts), by name: they exist only once it has run (pre-flight). */
  readonly factNames?: readonly string[];
  probe?(args: z.output<S>, ctx: PlanContext): readonly Probe[];
  plan(args: z.output<S>, state: readonly ProbeResult[], ctx: PlanContext): Plan;
}

/** Identity function that ties a module's schema to its probe/plan argument types. */
export function defineModule<S extends z.ZodType>(definition: ModuleDefinition<S>): ModuleDefinition<S> {
  return definition;
}
