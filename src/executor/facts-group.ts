/**
 * The facts script in the probe batch's own shell instead of a subshell of it: one process
 * fewer per host per run. A `sh -c SCRIPT` probe runs in a subshell so that its `exit`, its
 * variables and its functions stay its own; the facts script has no `exit`, names all its
 * variables and functions `__rb_...` (the batch's own names, which no probe may rely on), puts
 * IFS and `set -f` back, and does not touch $@, so the probes after it see the shell they saw.
 * Its stdout, stderr and exit code are the ones it has on its own.
 */
import { factsCommand } from "../facts/gather.js";
import type { ProbeGroup } from "../modules/types.js";

const [, , FACTS_SCRIPT_TEXT] = factsCommand();

export const factsGroup: ProbeGroup = {
  name: "facts",
  member: (argv) => {
    const facts = factsCommand();
    return argv.length === facts.length && argv.every((word, index) => word === facts[index]) ? [] : undefined;
  },
  commands: (members) => members.map(() => FACTS_SCRIPT_TEXT as string),
  results: (_, outputs) => [...outputs],
};
