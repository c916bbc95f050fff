/**
 * What a path is on the host: one short `stat` probe and its pure parser. "absent" is told
 * apart from a path of another kind (pyinfra's None vs False).
 */
import { createHash } from "node:crypto";
import type { Fact, PathAfter, Probe, ProbeResult } from "../types.js";
import { shScript } from "../../transport/quote.js";
import { ProbeError } from "./probe-error.js";

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
  /** With `follow`, the path the link resolved to (where edits must be written). */
  readonly realPath?: string | undefined;
}

export type FileState = { readonly exists: false; readonly realPath?: string | undefined } | PresentFile;

/*
 * Output lines: "absent", or the stat fields separated by "|"; then optionally
 * "sha256 <hex>", "link <target>" and, when following a link, "real <resolved path>".
 * $1 path, $2 checksum flag, $3 follow flag.
 */
export const FILE_STATE_SCRIPT = [
  'p="$1"',
  'if [ "$3" = 1 ] && [ -L "$p" ]; then p=$(readlink -f -- "$p") || exit 1; printf "real %s\\n" "$p"; fi',
  'if [ ! -e "$p" ] && [ ! -L "$p" ]; then echo absent; exit 0; fi',
  "stat -c '%F|%a|%U|%G|%u|%g|%s|%d:%i' -- \"$p\" || exit 1",
  // sha256sum prints "<hex>  -": the parser takes the first word (no `cut`: one process less per file)
  'if [ "$2" = 1 ] && [ -f "$p" ] && [ ! -L "$p" ]; then printf "sha256 "; sha256sum < "$p"; fi',
  'if [ -L "$p" ]; then printf "link %s\\n" "$(readlink -- "$p")"; fi',
].join("\n");

/**
 * A probe that describes `path`; with `checksum`, also the sha256 of a regular file; with
 * `follow`, a symbolic link is resolved and its target described (lineinfile edits the target).
 */
export function fileStateProbe(path: string, checksum = false, follow = false): Probe {
  return { argv: shScript(FILE_STATE_SCRIPT, path, checksum ? "1" : "0", follow ? "1" : "0") };
}

/**
 * The fact "what is at `path`" (see fileStateProbe for `checksum` and `follow`). Its subject is
 * the path, so in check mode a change an earlier task would make there stands in for the host.
 */
export function fileStateFact(path: string, options: { checksum?: boolean; follow?: boolean } = {}): Fact<FileState> {
  const checksum = options.checksum ?? false;
  const follow = options.follow ?? false;
  return {
    ...fileStateProbe(path, checksum, follow),
    subject: `path:${path}`,
    parse: parseFileState,
    // following a predicted link means knowing its target's state, which the change did not give
    predict: (after) => (follow && isLink(after as PathAfter) ? undefined : predictFileState(after as PathAfter, checksum)),
  };
}

const isLink = (after: PathAfter): boolean => after.exists && after.kind === "link";

/**
 * A path's state as an earlier would-be change leaves it. What the change did not say is
 * filled in as the host would make it: root's file, the umask's 0644/0755. Undefined when the
 * answer needs what is not known (a checksum of content the change did not give).
 */
export function predictFileState(after: PathAfter, checksum: boolean): FileState | undefined {
  if (!after.exists) return { exists: false };
  const content = after.content;
  if (checksum && after.kind === "file" && content === undefined) return undefined;
  const mode = after.mode ?? (after.kind === "directory" ? "0755" : after.kind === "link" ? "0777" : "0644");
  return {
    exists: true,
    kind: after.kind,
    mode: mode.padStart(4, "0"),
    owner: after.owner ?? "root",
    group: after.group ?? "root",
    uid: after.owner === undefined || after.owner === "root" ? 0 : -1,
    gid: after.group === undefined || after.group === "root" ? 0 : -1,
    size: content?.length ?? 0,
    inode: `predicted:${after.kind}`,
    sha256: checksum && content !== undefined ? createHash("sha256").update(content).digest("hex") : undefined,
    linkTarget: after.linkTarget,
  };
}

/** Parses fileStateProbe output. Throws ProbeError when the host could not answer. */
export function parseFileState(result: ProbeResult): FileState {
  if (result.rc !== 0) throw new ProbeError(`cannot stat: ${result.stderr.trim() || `exit ${result.rc}`}`);
  let sha256: string | undefined;
  let linkTarget: string | undefined;
  let realPath: string | undefined;
  let statLine: string | undefined;
  for (const line of result.stdout.split("\n")) {
    if (line.startsWith("sha256 ")) sha256 = line.slice(7).trim().split(/\s+/)[0];
    else if (line.startsWith("link ")) linkTarget = line.slice(5);
    else if (line.startsWith("real ")) realPath = line.slice(5);
    else if (line !== "" && statLine === undefined) statLine = line;
  }
  if (statLine === "absent") return { exists: false, realPath };
  const fields = statLine?.split("|") ?? [];
  if (fields.length !== 8) throw new ProbeError(`unexpected stat output: ${result.stdout.trim()}`);
  const [type = "", mode = "", owner = "", group = "", uid = "", gid = "", size = "", inode = ""] = fields;
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
    realPath,
  };
}

function kindOf(statType: string): FileKind {
  if (statType.startsWith("regular")) return "file";
  if (statType === "directory") return "directory";
  if (statType === "symbolic link") return "link";
  return "other";
}
