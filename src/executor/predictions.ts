/**
 * Check mode's picture of a host: what the tasks so far WOULD have changed. A planned change
 * declares its effects (modules/types.ts Effect); they are recorded here, and a later task's
 * fact about the same subject reads the prediction instead of the host's real, unchanged state.
 * So `file: absent` then `file: directory` then `lineinfile` plans, in check mode, exactly what
 * the real run will do.
 *
 * A change whose effects were not declared, or declared unknown (a command's output, a
 * package's files), makes the host `uncertain`: from then on a fact or plan that fails is
 * reported as "would run (result unknown in check mode)", never as a failure.
 */
import { posix } from "node:path";
import type { Effect, PathAfter } from "../modules/types.js";

/** A recorded path; `emptied`: it was removed and made again, so nothing below it survives. */
type PathEntry = PathAfter & { readonly emptied?: boolean };

export type Predicted = { readonly after: unknown } | undefined;

const ABSENT: PathAfter = { exists: false };

export class Predictions {
  private readonly paths = new Map<string, PathEntry>();
  private readonly things = new Map<string, unknown>();
  /** Why the host's state can no longer be foreseen; set by the first change that was not predicted. */
  uncertain: string | undefined;

  /** Records what a would-be change does; `undefined` effects: it did not say (so it cannot be foreseen). */
  record(effects: readonly Effect[] | undefined, what: string): void {
    if (effects === undefined) {
      this.uncertain ??= `${what} would change the host in ways check mode cannot foresee`;
      return;
    }
    for (const effect of effects) {
      if (effect.kind === "unknown") this.uncertain ??= effect.what;
      else if (effect.kind === "thing") this.things.set(effect.subject, effect.after);
      else this.recordPath(normalize(effect.path), effect.after);
    }
  }

  /** The predicted state of a fact's subject (`path:/x` or `KIND:NAME`), or undefined: read the host. */
  lookup(subject: string): Predicted {
    if (!subject.startsWith("path:")) return this.things.has(subject) ? { after: this.things.get(subject) } : undefined;
    const path = normalize(subject.slice("path:".length));
    const exact = this.paths.get(path);
    if (exact !== undefined) return { after: withoutFlags(exact) };
    for (let parent = posix.dirname(path); ; parent = posix.dirname(parent)) {
      const entry = this.paths.get(parent);
      if (entry !== undefined && (!entry.exists || entry.emptied === true)) return { after: ABSENT };
      if (parent === "/" || parent === ".") break;
    }
    // something predicted below it exists: then so does it, as a directory (mkdir -p, a file's parents)
    const prefix = `${path}/`;
    for (const [known, entry] of this.paths) {
      if (known.startsWith(prefix) && entry.exists) return { after: { exists: true, kind: "directory" } satisfies PathAfter };
    }
    return undefined;
  }

  private recordPath(path: string, after: PathAfter): void {
    const before = this.lookup(`path:${path}`)?.after as PathAfter | undefined;
    if (!after.exists) {
      // a removed directory takes everything below it
      const prefix = `${path}/`;
      for (const known of [...this.paths.keys()]) if (known.startsWith(prefix)) this.paths.delete(known);
    }
    const emptied = after.exists && after.kind === "directory" && before !== undefined && !before.exists;
    this.paths.set(path, emptied ? { ...after, emptied } : after);
  }
}

function withoutFlags(entry: PathEntry): PathAfter {
  if (!entry.exists) return ABSENT;
  const { emptied: _emptied, ...after } = entry;
  return after;
}

function normalize(path: string): string {
  const normal = posix.normalize(path);
  return normal.length > 1 && normal.endsWith("/") ? normal.slice(0, -1) : normal;
}
