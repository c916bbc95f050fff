/**
 * The loaded playbook: what the executor runs. Produced by playbook/load.ts from YAML
 * (validated, located, roles and import_tasks resolved); templating happens later, per host.
 * Strings here are raw: "{{ var }}" is rendered by the executor with the host's variables.
 */
import type { SourceLocation } from "../errors.js";

export type Vars = Record<string, unknown>;

/** `module_defaults` in force: arguments by module (short name), below a task's own. */
export type ModuleDefaults = Readonly<Record<string, Vars>>;

/** A keyword's boolean: true/false, or a "{{ template }}" rendered per host when the task runs. */
export type Flag = boolean | string;

/** Keywords that blocks, tasks, includes and roles share and that their children inherit. */
export interface TaskCommon {
  readonly where: SourceLocation;
  /** Conditions ANDed together (`when:` as a string or a list), raw expressions. */
  readonly when: readonly string[];
  readonly tags: readonly string[];
  readonly become?: Flag | undefined;
  readonly becomeUser?: string | undefined;
  /** `remote_user`: the user to log in as (raw, templated per host); inventory `ansible_user` wins over it, as in Ansible. */
  readonly remoteUser?: string | undefined;
  /** `connection`: `local`, `ssh`/`smart`/`paramiko` (raw; a template is checked when rendered); inventory `ansible_connection` wins. */
  readonly connection?: string | undefined;
  readonly vars: Vars;
  /** Undefined: as the enclosing block (or false). */
  readonly ignoreErrors?: Flag | undefined;
  readonly noLog: boolean;
  readonly runOnce: Flag;
  /** `any_errors_fatal` on a task or block: a failure ends the play for every host (undefined: the play's). */
  readonly anyErrorsFatal?: Flag | undefined;
  /** `ignore_unreachable`: an unreachable host stays in the play (undefined: the block's, else false). */
  readonly ignoreUnreachable?: boolean | undefined;
  readonly delegateTo?: string | undefined;
  /** `check_mode`: true runs in check mode even without --check; false runs for real even with it. */
  readonly checkMode?: Flag | undefined;
  /** The role this node belongs to (undefined for play-level tasks). */
  readonly role?: RoleInfo | undefined;
}

export interface RoleInfo {
  readonly name: string;
  /** The role's directory (templates/, files/ are looked up here first). */
  readonly path: string;
  readonly defaults: Vars;
  readonly vars: Vars;
}

export interface TaskNode extends TaskCommon {
  readonly kind: "task";
  /** Display name: `name:` or "module args" like Ansible. */
  readonly name: string;
  readonly module: string;
  /** Raw module arguments (validated against the module schema at load, again after templating). */
  readonly args: Vars;
  readonly register?: string | undefined;
  /** Raw `loop:` value (a list or a "{{ var }}" string), or the raw terms of a `with_<lookup>:`. */
  readonly loop?: unknown;
  /** The lookup plugin of `with_<lookup>:` (items, dict, nested, ...); undefined for `loop:`. */
  readonly loopWith?: string | undefined;
  readonly loopVar: string;
  /** `loop_control.label`: a template shown for each item instead of the item itself. */
  readonly loopLabel?: string | undefined;
  /** `loop_control.index_var`: the variable holding the item's 0-based index. */
  readonly indexVar?: string | undefined;
  /** `loop_control.extended`: `ansible_loop` (index, first, last, previtem, ...) for each item. */
  readonly loopExtended?: boolean | undefined;
  /** `loop_control.pause`: seconds to wait between items. */
  readonly loopPauseSeconds?: number | undefined;
  readonly notify: readonly string[];
  readonly changedWhen?: readonly string[] | undefined;
  readonly failedWhen?: readonly string[] | undefined;
  readonly until?: string | undefined;
  readonly retries: number;
  readonly delaySeconds: number;
  /** Raw `environment:` for the module's commands: a mapping of names to (templated) values, or a "{{ var }}" string. */
  readonly environment?: Vars | string | undefined;
  /** `throttle`: at most this many hosts run the task at once. */
  readonly throttle?: number | undefined;
  /** `async`: the task's time limit in seconds, run as a job on the host (with `poll: 0`, left running). */
  readonly async?: number | undefined;
  /** `poll`: seconds between checks of an async job; 0 fires and forgets (async_status reads it later). */
  readonly poll?: number | undefined;
  /** `diff`: true shows this task's diffs without --diff, false hides them with it (ansible_diff_mode follows). */
  readonly diff?: boolean | undefined;
  /** `timeout`: seconds the task may take before it is stopped and failed. */
  readonly timeout?: number | undefined;
}

/** What `loop:`/`with_<lookup>:` and `loop_control` give a task, an include or an include_role. */
export type LoopKeywords = Pick<TaskNode, "where" | "loop" | "loopWith" | "loopVar" | "loopLabel" | "indexVar" | "loopExtended" | "loopPauseSeconds">;

export interface BlockNode extends TaskCommon {
  readonly kind: "block";
  readonly name?: string | undefined;
  /**
   * include_role's role: its tasks are this block's, and a host whose condition is false gets one
   * skipped result for the include instead of one per task, as Ansible reports a dynamic include.
   */
  readonly includedRole?: string | undefined;
  /** include_role's own tags: they select the include under --tags; its tasks do not inherit them. */
  readonly includeTags?: readonly string[] | undefined;
  /** include_role: tags an import pushed onto it, which (unlike its own) the role's tasks inherit. */
  readonly parentTags?: readonly string[] | undefined;
  /** include_role's loop: the role runs once per item, the item's variables visible inside. */
  readonly roleLoop?: LoopKeywords | undefined;
  /** include_role's handlers are live only once the role is included (handlers.ts). */
  readonly handlerKey?: string | undefined;
  readonly block: readonly Node[];
  readonly rescue: readonly Node[];
  readonly always: readonly Node[];
}

/** `include_tasks`: dynamic, evaluated per host when reached (the file may be templated). */
export interface IncludeNode extends TaskCommon {
  readonly kind: "include";
  readonly name: string;
  /** Raw file path, possibly templated; resolved relative to `baseDir`. */
  readonly file: string;
  readonly baseDir: string;
  readonly loop?: unknown;
  readonly loopWith?: string | undefined;
  readonly loopVar: string;
  readonly indexVar?: string | undefined;
  readonly loopExtended?: boolean | undefined;
  /** Tags an import pushed onto this include: unlike its own, the included tasks inherit them. */
  readonly parentTags?: readonly string[] | undefined;
  /** `apply:` keywords (tags, become, ...) as a block around the included tasks. */
  readonly apply?: BlockNode | undefined;
  /** The module_defaults in force where the include is written, for the tasks it includes. */
  readonly moduleDefaults?: ModuleDefaults | undefined;
}

/** `meta: flush_handlers` and friends. */
export interface MetaNode extends TaskCommon {
  readonly kind: "meta";
  readonly name: string;
  readonly action: "flush_handlers" | "end_play" | "end_host" | "noop" | "clear_facts";
}

export type Node = TaskNode | BlockNode | IncludeNode | MetaNode;

export interface Handler extends TaskNode {
  /** Names a notify may use: `name` and every `listen` topic. */
  readonly listen: readonly string[];
  /** An include_role's copy of its role's handlers: it runs only once that include_role has included the role. */
  readonly includedBy?: string | undefined;
}

export interface Play {
  readonly name: string;
  readonly where: SourceLocation;
  /** Raw host pattern (`hosts:`). */
  readonly hosts: string;
  readonly become: boolean;
  readonly becomeUser: string;
  /** The play's `remote_user` and `connection` (see TaskCommon); its facts are gathered over them. */
  readonly remoteUser?: string | undefined;
  readonly connection?: string | undefined;
  readonly gatherFacts: boolean;
  readonly vars: Vars;
  /** Role names in play order, dependencies first (for --role and reporting). */
  readonly roles: readonly RoleInfo[];
  readonly preTasks: readonly Node[];
  /** Roles' tasks (dependencies first) then the play's `tasks:`. */
  readonly tasks: readonly Node[];
  readonly postTasks: readonly Node[];
  /** Play handlers and every role's handlers, in definition order. */
  readonly handlers: readonly Handler[];
  /** Batch sizes: [2] = two at a time; ["30%"]; [1, 5, 10] as Ansible. Empty = all at once. */
  readonly serial: readonly (number | string)[];
  readonly strategy: "linear" | "free";
  readonly anyErrorsFatal: boolean;
  /** `force_handlers`: a host that failed still runs the handlers it notified. */
  readonly forceHandlers?: boolean | undefined;
  readonly maxFailPercentage?: number | undefined;
  readonly tags: readonly string[];
  /** `vars_prompt`: variables asked for before the run (cli/vars-prompt.ts), play vars once answered. */
  readonly varsPrompt?: readonly VarPrompt[] | undefined;
  /** `order`: the order the play takes its hosts in (and so its serial batches). */
  readonly order?: HostOrder | undefined;
  /** Play `throttle`: at most this many hosts run any one task at once. */
  readonly throttle?: number | undefined;
  /** Play `environment:`: under every task's own (a mapping, or a "{{ var }}" string). */
  readonly environment?: Vars | string | undefined;
}

/** One `vars_prompt` entry. */
export interface VarPrompt {
  readonly name: string;
  readonly where: SourceLocation;
  readonly prompt?: string | undefined;
  readonly default?: string | undefined;
  /** Hide what is typed (Ansible's default). */
  readonly private: boolean;
  /** Ask twice; the answers must match. */
  readonly confirm: boolean;
}

export const HOST_ORDERS = ["inventory", "reverse_inventory", "sorted", "reverse_sorted", "shuffle"] as const;
export type HostOrder = (typeof HOST_ORDERS)[number];

export interface Playbook {
  readonly file: string;
  /** The playbook's directory: templates/files next to it, and the project root for roles/ and inventory/. */
  readonly baseDir: string;
  readonly plays: readonly Play[];
}
