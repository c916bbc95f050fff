/**
 * Variable precedence, lowest first, as Ansible orders the parts runbook supports:
 * role defaults < inventory (groups < host) < facts < play vars (and vars_files) < role vars
 * < block vars < task vars < registered vars and set_fact < extra vars (-e).
 * Magic variables (inventory_hostname, groups, hostvars, ...) are set last and cannot be overridden.
 */
import type { Vars } from "../playbook/model.js";

export interface VarLayers {
  readonly roleDefaults?: Vars | undefined;
  readonly inventory: Vars;
  readonly facts: Vars;
  readonly play: Vars;
  readonly roleVars?: Vars | undefined;
  /** Outermost block first. */
  readonly blocks: readonly Vars[];
  readonly task: Vars;
  /** `register:` results and `set_fact`. */
  readonly runtime: Vars;
  readonly extra: Vars;
  readonly magic: Vars;
}

/** Merges the layers into one flat scope; a later layer replaces a key of an earlier one whole (hash_behaviour=replace). */
export function mergeVars(layers: VarLayers): Vars {
  return Object.assign(
    {},
    layers.roleDefaults,
    layers.inventory,
    layers.facts,
    layers.play,
    layers.roleVars,
    ...layers.blocks,
    layers.task,
    layers.runtime,
    layers.extra,
    layers.magic,
  );
}
