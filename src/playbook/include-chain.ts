/**
 * include_tasks cycles. A file that includes itself, directly or through others, used to
 * recurse until the stack overflowed. Statically named includes are followed once the playbook
 * is loaded (so the run stops before anything is applied); templated ones are checked as the
 * run reaches them, with the chain of includes the executor carries in its scope.
 */
import { resolve } from "node:path";
import { ParseError } from "../errors.js";
import { describeCycle } from "./cursor.js";
import type { IncludeNode, Node, Play } from "./model.js";

/** The include_tasks files a task list was reached through, outermost first. */
export type IncludeChain = readonly string[];

/** The chain one include further in; a located error when `file` is in it already. */
export function enterInclude(chain: IncludeChain, file: string, include: IncludeNode): IncludeChain {
  const path = resolve(file);
  if (chain.includes(path)) {
    throw new ParseError(`include cycle: ${describeCycle(chain.slice(chain.indexOf(path)), path)}`, {
      location: include.where,
      hint: "a tasks file must not include itself, directly or through others; end the recursion with a 'when:' on a templated include",
    });
  }
  return [...chain, path];
}

/** Where an include's file is, when its name is not templated. */
export function staticIncludePath(include: IncludeNode): string | undefined {
  return include.file.includes("{{") ? undefined : resolve(include.baseDir, include.file);
}

/** Reads an included tasks file; undefined when it cannot be read now (its errors are left to run time). */
export type IncludeReader = (file: string, include: IncludeNode) => readonly Node[] | undefined;

/** Follows every statically named include of the plays; throws the first cycle as a located ParseError. */
export function checkIncludeCycles(plays: readonly Play[], read: IncludeReader): void {
  const done = new Set<string>(); // files whose includes were followed without finding a cycle
  const visit = (nodes: readonly Node[], chain: IncludeChain): void => {
    for (const node of nodes) {
      if (node.kind === "block") {
        for (const list of [node.block, node.rescue, node.always]) visit(list, chain);
      } else if (node.kind === "include") {
        const path = staticIncludePath(node);
        if (path === undefined || done.has(path)) continue;
        const inner = enterInclude(chain, path, node);
        const nodesInFile = read(path, node);
        if (nodesInFile !== undefined) visit(nodesInFile, inner);
        done.add(path);
      }
    }
  };
  for (const play of plays) visit([...play.preTasks, ...play.tasks, ...play.postTasks, ...play.handlers], []);
}
