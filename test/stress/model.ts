/**
 * What the stress generator builds while it walks: the playbook's directories ("zones"), the
 * files every host is sure to have in them, the registered results a later `when:` may read,
 * and which tasks may report a change on an unchanged rerun.
 */
import type { Rng } from "./rng.js";

/** A task as it goes into the playbook's YAML (its `name` included). */
export type YamlTask = Record<string, unknown>;

export interface GeneratedTask {
  readonly task: YamlTask;
  /** May report `changed` on a rerun that follows a complete run (touch, a command without creates...). */
  readonly volatile: boolean;
}

/**
 * How a zone file came to be: "whole" (copy/template own its content), "edited" (lineinfile and
 * blockinfile add their own lines or blocks to it) or "made" (touch or a command made it: only a
 * link or a mode change may use it).
 */
export type FileKind = "whole" | "edited" | "made";

export interface ZoneFile {
  readonly path: string;
  readonly kind: FileKind;
  /** Whether a task already sets its mode (a second one with another mode would fight it). */
  modeSet: boolean;
}

export interface Register {
  readonly name: string;
  readonly volatile: boolean;
  /** A plain command's result: rc and stdout are defined on every run. */
  readonly plainCommand: boolean;
}

/** One directory of the generated tree and what the tasks so far left in it on every host. */
export interface Zone {
  readonly dir: string;
  readonly label: string;
  /** Removed and made again at the start of every run: everything in it may change on a rerun. */
  readonly churn: boolean;
  readonly files: ZoneFile[];
  readonly registers: Register[];
  /** Counter for the zone's task names and new paths. */
  next: number;
}

/** The generator's state for one playbook. */
export interface Gen {
  readonly rng: Rng;
  readonly root: string;
  /** Files beside the playbook (templates), by name. */
  readonly files: Record<string, string>;
  readonly handlers: YamlTask[];
}

/** A new name in the zone: `z2.5`, used for task names, keys and paths. */
export function nextId(zone: Zone): string {
  zone.next += 1;
  return `${zone.label}.${zone.next}`;
}

/** A path in the zone derived from an id (`z2.5` -> DIR/PREFIX5). */
export function zonePath(zone: Zone, prefix: string, id: string): string {
  return `${zone.dir}/${prefix}${id.slice(id.indexOf(".") + 1)}`;
}
