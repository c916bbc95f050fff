/** Steps that bring a path's mode/owner/group to what a task asks, and only those that differ. */
import type { Step } from "../types.js";
import type { Attributes } from "./schema.js";
import type { PresentFile } from "./file-state.js";

/** Same permission bits? Compares "644" with "0644" as numbers. */
export function sameMode(a: string, b: string): boolean {
  return parseInt(a, 8) === parseInt(b, 8);
}

/** A wanted owner matches a name or a numeric uid. */
export function sameOwner(wanted: string, name: string, id: number): boolean {
  return wanted === name || wanted === String(id);
}

/** The attributes in `wanted` that the file does not have yet. */
export function attributeChanges(wanted: Attributes, current: PresentFile): Attributes {
  return {
    mode: wanted.mode !== undefined && !sameMode(wanted.mode, current.mode) ? wanted.mode : undefined,
    owner: wanted.owner !== undefined && !sameOwner(wanted.owner, current.owner, current.uid) ? wanted.owner : undefined,
    group: wanted.group !== undefined && !sameOwner(wanted.group, current.group, current.gid) ? wanted.group : undefined,
  };
}

/**
 * chown/chmod steps for the attributes that differ. Links are changed themselves (`-h`), and
 * never chmod-ed (Linux has no link permissions). `recurse` applies to a whole tree.
 */
export function attributeSteps(path: string, changes: Attributes, options: { link?: boolean; recurse?: boolean } = {}): Step[] {
  const steps: Step[] = [];
  const flags = [...(options.recurse ? ["-R"] : []), ...(options.link ? ["-h"] : [])];
  if (changes.owner !== undefined || changes.group !== undefined) {
    const spec = changes.owner !== undefined ? `${changes.owner}${changes.group !== undefined ? `:${changes.group}` : ""}` : `:${changes.group}`;
    steps.push({ kind: "run", argv: ["chown", ...flags, spec, "--", path] });
  }
  if (changes.mode !== undefined && !options.link) {
    steps.push({ kind: "run", argv: ["chmod", ...(options.recurse ? ["-R"] : []), changes.mode, "--", path] });
  }
  return steps;
}
