/**
 * What a path is on the host: one short `stat` probe and its pure parser. "absent" is told
 * apart from a path of another kind (pyinfra's None vs False).
 */
import type { Probe, ProbeResult } from "../types.js";
import { shScript } from "../../transport/quote.js";

export type FileKind = "file" | "directory" | "link" | "other";

export interface PresentFile {
  readonly exists: true;
  readonly kind: FileKind;
  /** Four octal digits, e.g. "0644". */
  readonly mode: string;
  readonly owner: string;
  readonly group: string;
  readonly uid: number;
  readonly gid: number;
  readonly size: number;
  /** "device:inode", to tell hard links apart. */
  readonly inode: string;
  /** sha256 of a regular file's content, when asked for. */
  readonly sha256?: string | undefined;
  /** Target of a symbolic link. */
  readonly linkTarget?: string | undefined;
}

export type FileState = { readonly exists: false } | PresentFile;

// Line 1: stat fields separated by "|"; then "sha256 <hex>" and/or "link <target>".
const SCRIPT = [
  'if [ ! -e "$1" ] && [ ! -L "$1" ]; then echo absent; exit 0; fi',
  "stat -c '%F|%a|%U|%G|%u|%g|%s|%d:%i' -- \"$1\" || exit 1",
  'if [ "$2" = 1 ] && [ -f "$1" ] && [ ! -L "$1" ]; then printf "sha256 "; sha256sum < "$1" | cut -d" " -f1; fi',
  'if [ -L "$1" ]; then printf "link %s\\n" "$(readlink -- "$1")"; fi',
].join("\n");

/** A probe that describes `path`; with `checksum`, also the sha256 of a regular file. */
export function fileStateProbe(path: string, checksum = false): Probe {
  return { argv: shScript(SCRIPT, path, checksum ? "1" : "0") };
}

/** Parses fileStateProbe output. Throws on output it does not understand (a probe failure). */
export function parseFileState(result: ProbeResult): FileState {
  if (result.rc !== 0) throw new Error(`cannot stat: ${result.stderr.trim() || `exit ${result.rc}`}`);
  const lines = result.stdout.split("\n").filter((line) => line !== "");
  const first = lines[0] ?? "";
  if (first === "absent") return { exists: false };
  const fields = first.split("|");
  if (fields.length !== 8) throw new Error(`unexpected stat output: ${first}`);
  const [type = "", mode = "", owner = "", group = "", uid = "", gid = "", size = "", inode = ""] = fields;
  let sha256: string | undefined;
  let linkTarget: string | undefined;
  for (const line of lines.slice(1)) {
    if (line.startsWith("sha256 ")) sha256 = line.slice(7).trim();
    else if (line.startsWith("link ")) linkTarget = line.slice(5);
  }
  return {
    exists: true,
    kind: kindOf(type),
    mode: mode.padStart(4, "0"),
    owner,
    group,
    uid: Number(uid),
    gid: Number(gid),
    size: Number(size),
    inode,
    sha256,
    linkTarget,
  };
}

function kindOf(statType: string): FileKind {
  if (statType.startsWith("regular")) return "file";
  if (statType === "directory") return "directory";
  if (statType === "symbolic link") return "link";
  return "other";
}
