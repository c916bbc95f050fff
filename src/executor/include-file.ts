/**
 * What an include_tasks reached at run time runs: the file's tasks, loaded with the run's vault
 * keyring (a role imported there may have encrypted vars), in a scope that remembers the chain
 * of includes so a file that includes itself is a located error instead of endless recursion.
 */
import type { IncludeNode, Node } from "../playbook/model.js";
import { enterInclude } from "../playbook/include-chain.js";
import { loadTaskFile } from "../playbook/load.js";
import type { RunContext, Scope } from "./context.js";

export function includedTasks(ctx: RunContext, inner: Scope, include: IncludeNode, file: string): { scope: Scope; nodes: Node[] } {
  const path = file.startsWith("/") ? file : `${include.baseDir}/${file}`;
  const scope: Scope = { ...inner, includeChain: enterInclude(inner.includeChain ?? [], path, include) };
  return { scope, nodes: loadTaskFile(path, include.role ?? inner.role, { vault: ctx.options.vault, moduleDefaults: include.moduleDefaults }) };
}
