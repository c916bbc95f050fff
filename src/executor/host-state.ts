/** What the run knows about one host as it goes: its connection, facts, registered vars, fate. */
import type { Facts } from "../facts/types.js";
import type { Login } from "./connections.js";
import type { TaskNode, Vars } from "../playbook/model.js";
import type { KeptOutcome } from "./batch-plan.js";
import { touchHostVars } from "../vars/revision.js";
import { Predictions } from "./predictions.js";

/**
 * active: runs tasks; failed: a task failed, the host is out of the play; unreachable: the
 * connection failed; ended: `meta: end_host` or the play stopped it (any_errors_fatal, SIGINT).
 */
export type HostFate = "active" | "failed" | "unreachable" | "ended";

/** Counts every change of any host's fate, so that lists derived from fates are kept until one changes. */
let fateChanges = 0;
export const fateRevision = (): number => fateChanges;

export class HostState {
  private currentFate: HostFate = "active";
  get fate(): HostFate {
    return this.currentFate;
  }
  set fate(fate: HostFate) {
    if (fate !== this.currentFate) fateChanges++;
    this.currentFate = fate;
  }
  facts: Facts | undefined;
  /** The login the facts were gathered over: `facts.user` is that login's user (another remote_user is another user). */
  factsLogin: Login | undefined;
  /** ansible_* names and `facts`, refreshed when facts are gathered. */
  factVars: Vars = {};
  /** `register:` results and `set_fact`, kept for the whole run as in Ansible. */
  readonly runtimeVars: Vars = {};
  /** Handler names (and listen topics) notified since the last flush. */
  readonly notified = new Set<string>();
  /** The task that last failed the host and its result: a rescue sees them as ansible_failed_task/_result. */
  lastFailure: { readonly task: Vars; readonly result: Vars } | undefined;
  /** Why the host became unreachable, for the recap. */
  unreachableReason: string | undefined;
  /** Check mode: what the tasks so far would have changed on the host (predictions.ts). */
  readonly predictions = new Predictions();
  /** Whether the host's last task changed it: then the next ones likely will too (lookahead.ts). */
  lastTaskChanged = false;
  /** Outcomes of tasks whose steps ran in an earlier task's script, until the run reaches them (batch-plan.ts). */
  readonly batched = new Map<TaskNode, KeptOutcome>();
  /** Counts changes of the host's own variables and facts (prepared-ahead.ts keeps verdicts until one). */
  get varsRevision(): number {
    return this.ownChanges;
  }
  private ownChanges = 0;
  /** What the next result's duration is moved by: a batch's time goes to the tasks whose steps it ran. */
  timeShiftMs = 0;

  constructor(
    readonly name: string,
    /** Inventory variables after precedence (groups < host). */
    readonly inventoryVars: Vars,
    /** The object other hosts see as hostvars[name]; kept up to date in place. */
    readonly publicVars: Vars,
    /** Ansible's group_names, computed once: every task of the host reads it. */
    readonly groupNames: readonly string[] = [],
    /** The run's magic names hostvars[name] shows too (playbook_dir, inventory_dir, ansible_version...). */
    private readonly publicMagic: Vars = {},
  ) {
    this.refreshPublicVars();
  }

  get active(): boolean {
    return this.fate === "active";
  }

  setFacts(facts: Facts, factVars: Vars): void {
    this.facts = facts;
    this.factVars = factVars;
    this.refreshPublicVars();
  }

  /** Facts a module read (service_facts): variables of their own and part of `ansible_facts`, as gathered facts are. */
  addFacts(facts: Vars): void {
    const namespace = this.factVars["ansible_facts"];
    const current = namespace !== null && typeof namespace === "object" ? (namespace as Vars) : {};
    this.factVars = { ...this.factVars, ...facts, ansible_facts: { ...current, ...facts } };
    this.refreshPublicVars();
  }

  clearFacts(): void {
    for (const key of Object.keys(this.factVars)) delete this.publicVars[key];
    this.facts = undefined;
    this.factVars = {};
    this.refreshPublicVars();
  }

  setRuntimeVars(vars: Vars): void {
    Object.assign(this.runtimeVars, vars);
    Object.assign(this.publicVars, vars);
    this.ownChanges++;
    touchHostVars();
  }

  private refreshPublicVars(): void {
    // Ansible's hostvars[name] carries the host's magic names too (hostvars['web1'].group_names)
    const magic = { ...this.publicMagic, inventory_hostname: this.name, inventory_hostname_short: this.name.split(".")[0], group_names: this.groupNames };
    Object.assign(this.publicVars, this.inventoryVars, this.factVars, this.runtimeVars, magic);
    this.ownChanges++;
    touchHostVars();
  }
}
