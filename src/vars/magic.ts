/** Ansible's magic variables, computed from the run's state for one host. */
import type { Vars } from "../playbook/model.js";

export interface MagicInputs {
  readonly host: string;
  readonly groupNames: readonly string[];
  readonly groups: Readonly<Record<string, string[]>>;
  /** Every host's variables as other hosts see them (`hostvars[name].x`). */
  readonly hostvars: Readonly<Record<string, Vars>>;
  readonly playHosts: readonly string[];
  readonly batchHosts: readonly string[];
  readonly playbookDir: string;
  readonly roleName?: string | undefined;
  readonly rolePath?: string | undefined;
  readonly check: boolean;
  readonly diff: boolean;
}

export function magicVars(inputs: MagicInputs): Vars {
  return {
    inventory_hostname: inputs.host,
    inventory_hostname_short: inputs.host.split(".")[0] ?? inputs.host,
    group_names: inputs.groupNames,
    groups: inputs.groups,
    hostvars: inputs.hostvars,
    play_hosts: inputs.batchHosts,
    ansible_play_hosts: inputs.batchHosts,
    ansible_play_hosts_all: inputs.playHosts,
    ansible_play_batch: inputs.batchHosts,
    playbook_dir: inputs.playbookDir,
    role_name: inputs.roleName,
    role_path: inputs.rolePath,
    ansible_check_mode: inputs.check,
    ansible_diff_mode: inputs.diff,
  };
}
