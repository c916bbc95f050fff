/** One step that makes a directory and each missing parent, every new one given the attributes (as Ansible's file and copy do). */
import { posix } from "node:path";
import type { Step } from "../types.js";
import type { Attributes } from "./schema.js";
import { shScript } from "../../transport/quote.js";

const MKDIRS = [
  "set -e",
  'm="$1"; o="$2"; g="$3"; shift 3',
  'for d in "$@"; do',
  '  if [ ! -e "$d" ]; then mkdir -- "$d"; if [ -n "$o$g" ]; then chown "$o${g:+:$g}" -- "$d"; fi; if [ -n "$m" ]; then chmod "$m" -- "$d"; fi; fi',
  "done",
].join("\n");

export function mkdirsStep(path: string, attributes: Attributes): Step {
  const dirs: string[] = [];
  for (let dir = posix.resolve(path); dir !== "/"; dir = posix.dirname(dir)) dirs.unshift(dir);
  return { kind: "run", argv: shScript(MKDIRS, attributes.mode ?? "", attributes.owner ?? "", attributes.group ?? "", ...dirs), describe: `mkdir ${path} (and missing parents)` };
}
