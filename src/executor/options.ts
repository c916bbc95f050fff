/** How a run was asked for: the executor's inputs beyond the playbook and inventory. */
import type { Vars } from "../playbook/model.js";
import type { VaultKeyring } from "../vault/keyring.js";

export interface ExecutorOptions {
  /** Hosts worked on at once (Ansible's forks). */
  readonly forks: number;
  readonly check: boolean;
  readonly diff: boolean;
  /** `--limit` pattern, intersected with every play's hosts. */
  readonly limit?: string | undefined;
  readonly tags: readonly string[];
  readonly skipTags: readonly string[];
  /** `--role NAME`: only that role's tasks, in the plays that include it. */
  readonly role?: string | undefined;
  readonly startAtTask?: string | undefined;
  readonly extraVars: Vars;
  /** `-u/--user`: the login user where the inventory and the `remote_user` keywords name none. */
  readonly remoteUser?: string | undefined;
  /** Per-command timeout; a command that runs longer fails the task. */
  readonly commandTimeoutMs?: number | undefined;
  /** The become password, from a prompt or RUNBOOK_BECOME_PASSWORD; never logged. */
  readonly becomePassword?: string | undefined;
  /**
   * Read probes ahead and cache their results (probe-cache.ts). Off only to test that the
   * optimisation is invisible: RUNBOOK_READ_AHEAD=off gives the same run, one round trip per task.
   */
  readonly readAhead?: boolean | undefined;
  /**
   * Run the steps of consecutive changing tasks in one script (batch-plan.ts); needs readAhead.
   * Off only to test that it is invisible: RUNBOOK_BATCH=off runs each task's steps on their own.
   */
  readonly batch?: boolean | undefined;
  /** Decrypts vault files that tasks files included at run time reach. */
  readonly vault?: VaultKeyring | undefined;
  /** Stops scheduling new tasks when aborted (SIGINT). */
  readonly signal?: AbortSignal | undefined;
}

export const defaultExecutorOptions: ExecutorOptions = {
  forks: 50,
  check: false,
  diff: false,
  tags: [],
  skipTags: [],
  extraVars: {},
};
