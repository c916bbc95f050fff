/** The keywords each kind of YAML entry accepts, and the Ansible ones runbook does not support yet. */

const COMMON = ["name", "when", "tags", "become", "become_user", "remote_user", "connection", "vars", "ignore_errors", "no_log", "run_once", "delegate_to", "check_mode", "any_errors_fatal", "ignore_unreachable", "collections", "become_method", "module_defaults"];
/** `with_<lookup>:` loops runbook runs as Ansible does: the lookup plugin over the keyword's value. */
export const WITH_LOOKUPS = ["items", "list", "dict", "fileglob", "first_found", "subelements", "nested", "together", "sequence", "indexed_items", "lines"] as const;
const LOOPS = ["loop", "loop_control", ...WITH_LOOKUPS.map((lookup) => `with_${lookup}`)];

export const TASK_KEYWORDS: ReadonlySet<string> = new Set([
  ...COMMON,
  ...LOOPS,
  "register",
  "notify",
  "changed_when",
  "failed_when",
  "until",
  "retries",
  "delay",
  "environment",
  "args",
  "throttle",
  "async",
  "poll",
  "timeout",
  "action",
  "local_action",
  "diff",
]);

export const HANDLER_KEYWORDS: ReadonlySet<string> = new Set([...TASK_KEYWORDS, "listen"]);

export const BLOCK_KEYWORDS: ReadonlySet<string> = new Set([...COMMON, "block", "rescue", "always"]);

/**
 * Ansible's VALID_INCLUDE_KEYWORDS that runbook has: a dynamic include's keywords are its own
 * (the included tasks take theirs from the include's block), so Ansible refuses the others.
 */
const DYNAMIC_INCLUDE = ["name", "when", "tags", "vars", "ignore_errors", "no_log", "run_once", "collections", ...LOOPS];
export const INCLUDE_KEYWORDS: ReadonlySet<string> = new Set([...DYNAMIC_INCLUDE, "include_tasks"]);
/** The task keywords a dynamic include refuses, as Ansible does, and where they belong instead. */
export const NOT_ON_DYNAMIC_INCLUDE: ReadonlyMap<string, string> = new Map(
  [...COMMON, "environment", "throttle", "diff", "notify", "changed_when", "failed_when", "retries", "until", "delay"]
    .filter((key) => !DYNAMIC_INCLUDE.includes(key))
    .map((key) => [key, `give it to the included tasks with 'apply: { ${key}: ... }', or set it on a block around the include`]),
);
export const OLD_INCLUDE_KEYWORDS: ReadonlySet<string> = new Set([...COMMON, ...LOOPS, "include", "static"]);

/** Static imports: only what can be pushed onto every imported node. */
export const IMPORT_TASKS_KEYWORDS: ReadonlySet<string> = new Set([...COMMON, "import_tasks"]);
/** What an import hands down to every imported task as a block around them would (Ansible makes the import their parent). */
export const IMPORT_BLOCK_KEYWORDS: ReadonlySet<string> = new Set(COMMON.filter((key) => !["name", "when", "tags", "vars"].includes(key)));
export const IMPORT_ROLE_KEYWORDS: ReadonlySet<string> = new Set(["name", "when", "tags", "vars", "import_role"]);
/** include_role is a task of its own: it loops, and is selected by its tags. */
export const INCLUDE_ROLE_KEYWORDS: ReadonlySet<string> = new Set(["name", "when", "tags", "vars", "include_role", ...LOOPS]);
export const ROLE_ARG_KEYS: ReadonlySet<string> = new Set(["name", "tasks_from", "vars_from", "defaults_from", "handlers_from"]);
export const INCLUDE_ROLE_ARG_KEYS: ReadonlySet<string> = new Set([...ROLE_ARG_KEYS, "apply"]);
/** `apply:` on include_tasks/include_role: what a block could say about the included tasks. */
export const APPLY_KEYWORDS: ReadonlySet<string> = new Set(COMMON);

export const META_KEYWORDS: ReadonlySet<string> = new Set(["name", "when", "tags", "meta"]);
export const META_ACTIONS = ["flush_handlers", "end_play", "end_host", "noop", "clear_facts"] as const;
export type MetaAction = (typeof META_ACTIONS)[number];

export const PLAY_KEYWORDS: ReadonlySet<string> = new Set([
  "name",
  "hosts",
  "become",
  "become_user",
  "remote_user",
  "connection",
  "gather_facts",
  "vars",
  "vars_files",
  "roles",
  "pre_tasks",
  "tasks",
  "post_tasks",
  "handlers",
  "serial",
  "strategy",
  "any_errors_fatal",
  "force_handlers",
  "max_fail_percentage",
  "tags",
  "collections",
  "become_method",
  "environment",
  "module_defaults",
  "order",
  "throttle",
  "vars_prompt",
]);

/** `connection:` values runbook runs: on the controller, or over its ssh transport (what smart and paramiko reach too). */
export const CONNECTION_KEYWORD_VALUES = ["local", "ssh", "smart", "paramiko"] as const;

export const LOOP_CONTROL_KEYS: ReadonlySet<string> = new Set(["loop_var", "label", "index_var", "pause", "extended"]);

const NOT_YET = "runbook does not implement it; remove it or open an issue";

/** Ansible task keywords runbook knows but does not implement, so they are not taken for modules. */
export const UNSUPPORTED_TASK_KEYWORDS: ReadonlyMap<string, string> = new Map([
  ["debugger", NOT_YET],
]);

export const UNSUPPORTED_PLAY_KEYWORDS: ReadonlyMap<string, string> = new Map([
  ["check_mode", "use the --check option for the whole run"],
  ["ignore_unreachable", NOT_YET],
]);
