/** Steps that bring a path's mode/owner/group to what a task asks, and only those that differ. */
import type { Fact, Step } from "../types.js";
import { shScript } from "../../transport/quote.js";
import type { Attributes } from "./schema.js";
import type { PresentFile } from "./file-state.js";
import { resolveModeText } from "./mode.js";

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
  // a symbolic mode is compared (and then set) as the octal mode it gives this path
  const mode = wanted.mode === undefined ? undefined : resolveModeText(wanted.mode, current.mode, current.kind === "directory");
  return {
    mode: mode !== undefined && !sameMode(mode, current.mode) ? mode : undefined,
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

/**
 * The fact "which of the named owner and group do not exist on the host", so a plan fails as
 * chown would, in check mode too (Ansible looks the names up before it plans). Numeric ids are
 * not looked up; undefined when there is nothing to look up.
 */
export function missingAccountsFact(wanted: Attributes): Fact<string[]> | undefined {
  const named = (value: string | undefined): string => (value === undefined || /^\d+$/.test(value) ? "" : value);
  const owner = named(wanted.owner);
  const group = named(wanted.group);
  if (owner === "" && group === "") return undefined;
  const script = [
    'if [ -n "$1" ] && ! getent passwd "$1" >/dev/null; then echo "user $1"; fi',
    'if [ -n "$2" ] && ! getent group "$2" >/dev/null; then echo "group $2"; fi',
  ].join("\n");
  return { argv: shScript(script, owner, group), parse: (result) => result.stdout.split("\n").filter((line) => line !== "") };
}
