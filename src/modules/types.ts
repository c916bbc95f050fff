/**
 * The shape of a module. One zod schema gives the TypeScript type of the arguments, the YAML
 * validation, the editor JSON Schema and `runbook doc`. A module never touches a host: it asks
 * for named facts (each a read-only command plus a pure parser, as pyinfra's FactBase), and a
 * pure `plan` turns their typed values into the steps that close the gap. The executor reads
 * the facts (batched across tasks where it can), and runs the steps unless in check mode.
 *
 *   facts(args) -> { name: Fact<T> }  --executor reads and parses-->  plan(args, { name: T }) -> Plan
 */
import type { z } from "zod";
import type { Facts } from "../facts/types.js";

/** The output of one read-only command on the host. */
export interface ProbeResult {
  readonly rc: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A command that reads state. It must not change the host. */
export interface Probe {
  readonly argv: readonly string[];
}

/**
 * Probes of one kind that a host can answer together with fewer processes than one script each
 * (one `stat` for many paths). The executor's probe batch (executor/probe-batch.ts) gives the
 * group the arguments of its members; the group gives shell commands to run in the batch's own
 * shell, and turns their results back into exactly what each member's own command would print.
 */
export interface ProbeGroup {
  readonly name: string;
  /** The probe's arguments when `argv` is one of this group's probes, else undefined. */
  member(argv: readonly string[]): readonly string[] | undefined;
  /**
   * Shell commands, each run in the batch's shell (not a subshell, so their variables are
   * prefixed `__rb_`; they may `set --`), with stdin from /dev/null.
   */
  commands(members: readonly (readonly string[])[]): string[];
  /**
   * Each member's result from the commands' results, in order; undefined where the answer is
   * not certain (an unusual file name, a file that changed between two commands): that probe is
   * then run on its own.
   */
  results(members: readonly (readonly string[])[], outputs: readonly ProbeResult[]): (ProbeResult | undefined)[];
}

/**
 * One named piece of host state: a read-only command and a pure parser of its output.
 *
 * The one rule for a fact that cannot be read: `parse` throws (a ProbeError, support/probe-error.ts)
 * and the task fails with that message, its exit code and stderr; in check mode, after a change
 * that check mode could not foresee, the task is "unknown" instead. Absence is not failure: a
 * fact about something that may be missing returns a value that says so (pyinfra's None).
 */
export interface Fact<T> extends Probe {
  parse(result: ProbeResult): T;
  /**
   * What the fact reads, for check mode: `path:/abs/path` for a path on the host, or
   * `KIND:NAME` for another thing (`link:br0`, `unit:etcd.service`, `etcd:/key`). A change
   * predicted for that subject (an Effect) stands in for the host's answer.
   */
  readonly subject?: string | undefined;
  /**
   * The fact's value once `after` (the predicted state of `subject`, an Effect's `after`) holds;
   * undefined when it cannot be told, which makes the task "unknown" in check mode.
   */
  predict?(after: unknown): T | undefined;
  /**
   * The fact reads only whether its path is a directory, so paths made below it leave its answer
   * as it was (executor/batch-plan.ts: a batch that writes into a directory may still plan a
   * later task from this fact).
   */
  readonly keptByEntries?: boolean | undefined;
}

/** The facts a task needs, by name; an entry may be left undefined when the arguments do not need it. */
export type FactRequests = Readonly<Record<string, Fact<unknown> | undefined>>;

/** The parsed values of `F`, by the same names. */
export type FactValues<F extends FactRequests> = {
  readonly [K in keyof F]: F[K] extends Fact<infer T> ? T : F[K] extends Fact<infer T> | undefined ? T | undefined : never;
};

/** The predicted state of a path after a step: what a later fact about it will read in check mode. */
export type PathAfter =
  | { readonly exists: false }
  | {
      readonly exists: true;
      readonly kind: "file" | "directory" | "link";
      /** Four octal digits; undefined: as the host would make it (umask). */
      readonly mode?: string | undefined;
      readonly owner?: string | undefined;
      readonly group?: string | undefined;
      /** A regular file's bytes, when known. */
      readonly content?: Buffer | undefined;
      readonly linkTarget?: string | undefined;
    };

/**
 * What a planned change does to the facts it touches, for check mode (a later task plans
 * against it instead of the host's real, unchanged state). `path`: a path on the host (a
 * removed directory takes everything below with it); `thing`: any other subject, its `after`
 * typed by the facts that read it; `unknown`: what check mode cannot foresee (a command's
 * output, a package's files, a daemon's writes).
 */
export type Effect =
  | { readonly kind: "path"; readonly path: string; readonly after: PathAfter }
  | { readonly kind: "thing"; readonly subject: string; readonly after: unknown }
  | { readonly kind: "unknown"; readonly what: string };

export type Step =
  | {
      readonly kind: "run";
      readonly argv: readonly string[];
      readonly stdin?: string | undefined;
      /** Exit codes that count as success; default [0]. */
      readonly okCodes?: readonly number[] | undefined;
      /** Human wording for check mode when the argv alone is unclear. */
      readonly describe?: string | undefined;
      /**
       * How the registered stdout/stderr end: `strip-empty-lines` drops every final newline
       * (Ansible's command/shell, strip_empty_ends), `as-is` keeps them (raw, strip_empty_ends
       * false; script); undefined: one final newline is dropped. The last run step's says how
       * the task's registered output ends (executor/judge.ts).
       */
      readonly outputEnds?: "strip-empty-lines" | "as-is" | undefined;
    }
  | {
      readonly kind: "put";
      readonly path: string;
      readonly content: Buffer;
      readonly mode?: string | undefined;
      readonly owner?: string | undefined;
      readonly group?: string | undefined;
    }
  | {
      /** The host's file `src` written to `dest` on the controller (fetch), atomically. */
      readonly kind: "fetch";
      readonly src: string;
      /** An absolute controller path. */
      readonly dest: string;
      /** The bytes must have this sha256 (validate_checksum), else the step fails and writes nothing. */
      readonly sha256?: string | undefined;
    }
  | ReconnectStep;

/**
 * The host goes away and comes back (reboot), or is waited for (wait_for_connection); the
 * executor runs it (executor/reconnect.ts), never a script. In order: `trigger` runs on the
 * host's connection (the connection dropping under it counts as its success: the host went down
 * as asked); `delaySeconds` pass; then, each within `timeoutSeconds` and over a new connection
 * whenever the one in hand is lost (`renewEachTry`: before every try, as Ansible's
 * wait_for_connection resets it), `bootChange.argv` is run until it prints something other than
 * `bootChange.before`, and `test` until it exits 0. The new connection replaces the old one for
 * the rest of the run, and what was read from the host before is forgotten.
 */
export interface ReconnectStep {
  readonly kind: "reconnect";
  /** In words, for check mode and reports. */
  readonly describe: string;
  readonly trigger?: readonly string[] | undefined;
  readonly delaySeconds: number;
  readonly timeoutSeconds: number;
  /** Each new connection's connect timeout; undefined: the host's own. */
  readonly connectTimeoutSeconds?: number | undefined;
  readonly bootChange?: { readonly argv: readonly string[]; readonly before: string; readonly what: string } | undefined;
  readonly test: { readonly argv: readonly string[]; readonly what: string };
  /** Between tries: Ansible reboot's backoff (1, 2, 4, 8, then 12 s, each plus up to 1 s), or a fixed pause. */
  readonly pause: "backoff" | { readonly seconds: number };
  readonly renewEachTry: boolean;
  /** A result field set to whether the trigger ran (reboot's `rebooted`). */
  readonly triggeredKey?: string | undefined;
}

export interface FileDiff {
  readonly path: string;
  readonly before: string;
  readonly after: string;
}

/** What every plan may carry besides its verdict. */
interface PlanBase {
  /** Why nothing was needed, or what the steps do; shown with -v and in --json. */
  readonly msg?: string | undefined;
  /** Extra fields for `register` (debug's msg, stat results, ...). */
  readonly data?: Readonly<Record<string, unknown>> | undefined;
}

/**
 * A module's verdict. `ok`: the host is as wanted (it may still run `steps` that change
 * nothing, as wait_for's wait); `change`: these steps close the gap, with their `effects` for
 * check mode (none declared: check mode cannot foresee them); `skip`: the module itself
 * declines to act (Ansible's status `skipped`: unarchive's or script's `creates`, a uri POST in
 * --check), `msg` says why; changed_when/failed_when are not judged, as in Ansible; `fail`: the
 * task fails.
 */
export type Plan =
  | (PlanBase & {
      readonly kind: "ok";
      readonly steps?: readonly Step[] | undefined;
      /** Variables set on the host (set_fact), with set_fact's precedence. */
      readonly setFacts?: Readonly<Record<string, unknown>> | undefined;
      /** Facts a facts module read from the host (service_facts): they join `ansible_facts` and are variables of their own. */
      readonly facts?: Readonly<Record<string, unknown>> | undefined;
    })
  | (PlanBase & {
      readonly kind: "change";
      readonly steps: readonly Step[];
      readonly effects?: readonly Effect[] | undefined;
      /** Unified-diff material for --diff. */
      readonly diffs?: readonly FileDiff[] | undefined;
    })
  | (PlanBase & { readonly kind: "skip" })
  | (PlanBase & { readonly kind: "fail"; readonly error: string; readonly hint?: string | undefined });

/** What a module may know while planning: controller-side only, no host access. */
export interface PlanContext {
  readonly host: string;
  /** Undefined when the play has `gather_facts: false`. */
  readonly facts: Facts | undefined;
  readonly vars: Readonly<Record<string, unknown>>;
  readonly check: boolean;
  /** Reads a controller file named by a task (role files/, then the playbook dir). */
  readLocalFile(path: string): Buffer;
  /** The permission bits (four octal digits) of the controller file readLocalFile reads (copy's mode: preserve). */
  localFileMode(path: string): string;
  /** A controller path a task writes (fetch's dest), absolute: a relative one is from the playbook's directory. */
  controllerPath(path: string): string;
  /** The bytes of the controller file at an absolute path; undefined when there is none. */
  readControllerFile(path: string): Buffer | undefined;
  /** Renders a template file (role templates/, then the playbook dir) with the task's vars. */
  renderTemplate(path: string): string;
  /** Resolves a path in the artifacts directory (`artifacts_dir`). */
  artifactPath(name: string): string;
}

export interface ModuleDefinition<S extends z.ZodType = z.ZodType, F extends FactRequests = FactRequests> {
  readonly name: string;
  /**
   * The collection of the module's fully qualified name (registry's FQCN table, `runbook doc`):
   * "ansible.builtin" when left out; "ansible.posix" (sysctl, mount, authorized_key),
   * "community.general" (modprobe...) where Ansible's module lives in a collection; "runbook.builtin"
   * for runbook's own modules, which Ansible lacks.
   */
  readonly collection?: string;
  /** One line for `runbook doc --list`. */
  readonly summary: string;
  /** A YAML task using the module, for `runbook doc`. */
  readonly example: string;
  readonly schema: S;
  /** Runs entirely on the controller (debug, set_fact, assert, fail): no facts, no steps. */
  readonly local?: boolean;
  /** The facts the module sets (Plan.facts), by name: they exist only once it has run (pre-flight). */
  readonly factNames?: readonly string[];
  /**
   * Never changes the host (stat, wait_for, service_facts): in check mode, a result that cannot
   * be foreseen is still `ok`, never a would-be change.
   */
  readonly readsOnly?: boolean;
  /**
   * Runs the user's own command (command, shell, raw, script): when it ran and failed, the result
   * is still changed, as Ansible's are (an ignored failure counts as changed in the recap).
   */
  readonly failureChanges?: boolean;
  /** The host state the plan needs, by name. */
  facts?(args: z.output<S>, ctx: PlanContext): F;
  plan(args: z.output<S>, facts: FactValues<F>, ctx: PlanContext): Plan;
}

/** Identity function that ties a module's schema and facts to its plan's argument types. */
export function defineModule<S extends z.ZodType, F extends FactRequests = FactRequests>(definition: ModuleDefinition<S, F>): ModuleDefinition<S, F> {
  return definition;
}
