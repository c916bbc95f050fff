/** Facts about paths that command-like and file-editing modules share: a glob's match, a directory's existence. */
import type { Fact, PathAfter } from "../types.js";
import { shScript } from "../../transport/quote.js";

const GLOB_MAGIC = /[*?[]/;

/** Whether anything matches a glob (Python's glob.glob: a broken link counts, a dot file needs a dot). */
const GLOB_SCRIPT = 'IFS=; for p in $1; do if [ -e "$p" ] || [ -L "$p" ]; then exit 0; fi; done; exit 1';

/** The part of a glob before its first magic character's path component: what check mode can tell about. */
function globRoot(pattern: string): string {
  const parts = pattern.split("/");
  const fixed = parts.slice(0, parts.findIndex((part) => GLOB_MAGIC.test(part)));
  return fixed.join("/") || (pattern.startsWith("/") ? "/" : ".");
}

/**
 * Whether a path matching `pattern` exists. Its subject is the path itself, or for a real glob
 * the directory it searches: check mode knows there is no match when that would be gone, and
 * cannot tell otherwise.
 */
export function globExistsFact(pattern: string): Fact<boolean> {
  const magic = GLOB_MAGIC.test(pattern);
  return {
    argv: shScript(GLOB_SCRIPT, pattern),
    subject: `path:${magic ? globRoot(pattern) : pattern}`,
    parse: (result) => result.rc === 0,
    predict: (after) => ((after as PathAfter).exists ? (magic ? undefined : true) : false),
  };
}

/** Whether a directory exists; check mode follows an earlier task that would make or remove it. */
export function directoryFact(path: string): Fact<boolean> {
  return {
    argv: ["test", "-d", path],
    subject: `path:${path}`,
    keptByEntries: true,
    parse: (result) => result.rc === 0,
    predict: (after) => {
      const state = after as PathAfter;
      return state.exists && state.kind === "directory";
    },
  };
}
