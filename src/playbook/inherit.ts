/**
 * Static imports (import_tasks, import_role, roles) hand their `when`, `tags` and `vars` down by
 * pushing them onto every imported top-level node; nested nodes inherit from those at run time.
 */
import type { BlockNode, IncludeNode, Node, Vars } from "./model.js";

export interface Inheritance {
  readonly when?: readonly string[] | undefined;
  readonly tags?: readonly string[] | undefined;
  readonly vars?: Vars | undefined;
  /** Role params beat task vars (Ansible's precedence); import vars lose to the task's own. */
  readonly varsWin?: boolean | undefined;
  /** A role entry's `remote_user`/`connection`: for the nodes that name none of their own. */
  readonly remoteUser?: string | undefined;
  readonly connection?: string | undefined;
}

export function inherit(nodes: readonly Node[], extra: Inheritance): Node[] {
  const when = extra.when ?? [];
  const tags = extra.tags ?? [];
  const vars = extra.vars ?? {};
  if (when.length === 0 && tags.length === 0 && Object.keys(vars).length === 0 && extra.remoteUser === undefined && extra.connection === undefined) return [...nodes];
  return nodes.map((node) => ({
    ...node,
    remoteUser: node.remoteUser ?? extra.remoteUser,
    connection: node.connection ?? extra.connection,
    when: [...when, ...node.when],
    tags: [...new Set([...tags, ...node.tags])],
    vars: extra.varsWin === true ? { ...node.vars, ...vars } : { ...vars, ...node.vars },
    // a dynamic include's own tags stop at it, but what it inherits reaches the included tasks
    ...(isDynamicInclude(node) && tags.length > 0 ? { parentTags: [...new Set([...tags, ...(node.parentTags ?? [])])] } : {}),
  }));
}

function isDynamicInclude(node: Node): node is IncludeNode | BlockNode {
  return node.kind === "include" || (node.kind === "block" && node.includedRole !== undefined);
}
