/** Ansible's magic variables, computed from the run's state for one host. */
import { dirname } from "node:path";
import type { Vars } from "../playbook/model.js";

/**
 * `ansible_version`: the Ansible whose behaviour runbook follows (its oracles run Debian's
 * ansible-core 2.14), for roles that test `ansible_version.full is version('2.9', '>=')`.
 */
export const ANSIBLE_VERSION = { full: "2.14.18", major: 2, minor: 14, revision: 18, string: "2.14.18" } as const;

/** The magic variables that are the same for every host of the run and that hostvars[other] shows too. */
export interface RunMagicInputs {
  readonly playbookDir: string;
  readonly check: boolean;
  readonly diff: boolean;
  readonly tags: readonly string[];
  readonly skipTags: readonly string[];
}

export function runMagicVars(inputs: RunMagicInputs): Vars {
  return {
    playbook_dir: inputs.playbookDir,
    ansible_version: ANSIBLE_VERSION,
    ansible_run_tags: inputs.tags.length > 0 ? inputs.tags : ["all"],
    ansible_skip_tags: inputs.skipTags,
    ansible_check_mode: inputs.check,
    ansible_diff_mode: inputs.diff,
  };
}

/** `inventory_file` and `inventory_dir`: the inventory source that defined the host (hostvars[other] shows them too). */
export function inventoryMagicVars(inventoryFile: string | undefined): Vars {
  return inventoryFile === undefined ? {} : { inventory_file: inventoryFile, inventory_dir: dirname(inventoryFile) };
}

export interface MagicInputs {
  readonly host: string;
  readonly groupNames: readonly string[];
  readonly groups: Readonly<Record<string, string[]>>;
  /** Every host's variables as other hosts see them (`hostvars[name].x`). */
  readonly hostvars: Readonly<Record<string, Vars>>;
  readonly playHosts: readonly string[];
  readonly batchHosts: readonly string[];
  /** The play's (batch's) hosts that have not failed: ansible_play_hosts (ansible_play_batch); default all of them. */
  readonly standingPlayHosts?: readonly string[] | undefined;
  readonly standingBatchHosts?: readonly string[] | undefined;
  readonly playbookDir: string;
  readonly roleName?: string | undefined;
  readonly rolePath?: string | undefined;
  readonly check: boolean;
  readonly diff: boolean;
  readonly tags?: readonly string[] | undefined;
  readonly skipTags?: readonly string[] | undefined;
  readonly inventoryFile?: string | undefined;
}

export function magicVars(inputs: MagicInputs): Vars {
  return {
    inventory_hostname: inputs.host,
    inventory_hostname_short: inputs.host.split(".")[0] ?? inputs.host,
    group_names: inputs.groupNames,
    groups: inputs.groups,
    hostvars: inputs.hostvars,
    play_hosts: inputs.standingBatchHosts ?? inputs.batchHosts,
    ansible_play_hosts: inputs.standingPlayHosts ?? inputs.playHosts,
    ansible_play_hosts_all: inputs.playHosts,
    ansible_play_batch: inputs.standingBatchHosts ?? inputs.batchHosts,
    ...runMagicVars({ playbookDir: inputs.playbookDir, check: inputs.check, diff: inputs.diff, tags: inputs.tags ?? [], skipTags: inputs.skipTags ?? [] }),
    ...inventoryMagicVars(inputs.inventoryFile),
    // outside a role they are undefined, not defined as nothing (`role_path is defined` is false)
    ...(inputs.roleName === undefined ? {} : { role_name: inputs.roleName }),
    ...(inputs.rolePath === undefined ? {} : { role_path: inputs.rolePath }),
  };
}
