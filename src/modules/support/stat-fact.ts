/**
 * The stat module's fact: everything Ansible's stat returns about one path (kind, mode bits,
 * ids, times, access for the connecting user, a checksum of the chosen algorithm, a link's
 * target and resolved source), from one short probe and a pure parser.
 */
import { createHash } from "node:crypto";
import type { Fact, PathAfter, ProbeResult } from "../types.js";
import { shScript } from "../../transport/quote.js";
import { predictFileState } from "./file-state.js";
import { ProbeError } from "./probe-error.js";

export const CHECKSUM_ALGORITHMS = ["md5", "sha1", "sha224", "sha256", "sha384", "sha512"] as const;
export type ChecksumAlgorithm = (typeof CHECKSUM_ALGORITHMS)[number];

/** The registered `stat`, under Ansible's field names. */
export type StatResult = Readonly<Record<string, unknown>>;

/*
 * Output: "absent", or the stat line; then "access" with r/w/x for what the user may do,
 * optionally "checksum <hex>", "link <target>" and "source <resolved path>".
 * $1 path, $2 follow flag, $3 checksum command (empty: none).
 */
const SCRIPT = [
  'p="$1"; L=""',
  'if [ "$2" = 1 ]; then L=-L; [ -e "$p" ] || { echo absent; exit 0; }',
  'elif [ ! -e "$p" ] && [ ! -L "$p" ]; then echo absent; exit 0; fi',
  "stat $L -c '%F|%a|%U|%G|%u|%g|%s|%i|%d|%h|%X|%Y|%Z' -- \"$p\" || exit 1",
  'a=""; [ -r "$p" ] && a=r; [ -w "$p" ] && a="${a}w"; [ -x "$p" ] && a="${a}x"; echo "access $a"',
  'if [ -n "$3" ] && [ -f "$p" ] && [ -r "$p" ] && { [ -n "$L" ] || [ ! -L "$p" ]; }; then printf "checksum "; "$3" < "$p"; fi',
  'if [ -z "$L" ] && [ -L "$p" ]; then printf "link %s\\n" "$(readlink -- "$p")"; printf "source %s\\n" "$(readlink -f -- "$p")"; fi',
].join("\n");

export interface StatOptions {
  readonly follow: boolean;
  /** undefined: no checksum. */
  readonly checksum: ChecksumAlgorithm | undefined;
}

export function statFact(path: string, options: StatOptions): Fact<StatResult> {
  const command = options.checksum === undefined ? "" : `${options.checksum}sum`;
  return {
    argv: shScript(SCRIPT, path, options.follow ? "1" : "0", command),
    subject: `path:${path}`,
    parse: (result) => parseStat(path, result),
    predict: (after) => predictStat(path, after as PathAfter, options),
  };
}

const KINDS: Readonly<Record<string, string>> = {
  "regular file": "isreg",
  "regular empty file": "isreg",
  directory: "isdir",
  "symbolic link": "islnk",
  "character special file": "ischr",
  "block special file": "isblk",
  fifo: "isfifo",
  socket: "issock",
};

/** Parses statFact output. Throws ProbeError when the host could not answer. */
export function parseStat(path: string, result: ProbeResult): StatResult {
  if (result.rc !== 0) throw new ProbeError(`cannot stat ${path}: ${result.stderr.trim() || `exit ${result.rc}`}`);
  const [statLine = "", ...rest] = result.stdout.split("\n");
  if (statLine === "absent") return { exists: false, path };
  const fields = statLine.split("|");
  if (fields.length !== 13) throw new ProbeError(`unexpected stat output: ${result.stdout.trim()}`);
  const [type = "", mode = "", owner = "", group = "", uid, gid, size, inode, dev, nlink, atime, mtime, ctime] = fields;
  const extra = new Map(rest.filter((line) => line !== "").map((line) => [line.slice(0, line.indexOf(" ")), line.slice(line.indexOf(" ") + 1)] as const));
  const access = extra.get("access") ?? "";
  const numbers = { uid, gid, size, inode, dev, nlink, atime, mtime, ctime };
  return {
    exists: true,
    path,
    ...kindFlags(KINDS[type]),
    ...modeFields(parseInt(mode, 8)),
    ...Object.fromEntries(Object.entries(numbers).map(([name, value]) => [name, Number(value)])),
    pw_name: owner,
    gr_name: group,
    readable: access.includes("r"),
    writeable: access.includes("w"),
    executable: access.includes("x"),
    ...optional("checksum", extra.get("checksum")?.split(/\s+/)[0]),
    ...optional("lnk_target", extra.get("link")),
    ...optional("lnk_source", extra.get("source")),
  };
}

const optional = (name: string, value: string | undefined): Record<string, string> => (value === undefined ? {} : { [name]: value });

function kindFlags(flag: string | undefined): Record<string, boolean> {
  const names = ["isreg", "isdir", "islnk", "ischr", "isblk", "isfifo", "issock"];
  return Object.fromEntries(names.map((name) => [name, name === flag]));
}

/** Ansible's mode string and permission-bit booleans. */
function modeFields(bits: number): Record<string, string | boolean> {
  const names = ["xoth", "woth", "roth", "xgrp", "wgrp", "rgrp", "xusr", "wusr", "rusr"];
  return {
    mode: bits.toString(8).padStart(4, "0"),
    ...Object.fromEntries(names.map((name, bit) => [name, (bits & (1 << bit)) !== 0])),
    isuid: (bits & 0o4000) !== 0,
    isgid: (bits & 0o2000) !== 0,
  };
}

/** What stat would read after an earlier would-be change (check mode), as root; undefined when not known. */
function predictStat(path: string, after: PathAfter, options: StatOptions): StatResult | undefined {
  if (options.follow && after.exists && after.kind === "link") return undefined;
  const state = predictFileState(after, false);
  if (state === undefined || !state.exists) return { exists: false, path };
  const content = after.exists ? after.content : undefined;
  if (options.checksum !== undefined && state.kind === "file" && content === undefined) return undefined;
  const bits = parseInt(state.mode, 8);
  const flag = state.kind === "file" ? "isreg" : state.kind === "directory" ? "isdir" : "islnk";
  return {
    exists: true,
    path,
    ...kindFlags(flag),
    ...modeFields(bits),
    uid: state.uid,
    gid: state.gid,
    size: state.size,
    pw_name: state.owner,
    gr_name: state.group,
    readable: true,
    writeable: true,
    executable: state.kind === "directory" || (bits & 0o111) !== 0,
    ...optional("checksum", options.checksum !== undefined && content !== undefined ? createHash(options.checksum).update(content).digest("hex") : undefined),
    ...optional("lnk_target", state.linkTarget),
  };
}
