/**
 * The remote side of `put`: a POSIX sh script that reads stdin into a temporary file beside the
 * target, checks it received every byte, sets owner/group/mode, then renames it into place, so
 * readers never see a half-written file and a broken upload leaves the old content.
 *
 * Why the byte count: when an SSH connection drops, sshd closes the command's stdin and `cat`
 * sees a normal end of file; without the check a truncated file would be renamed into place.
 *
 * Cleanup: the EXIT trap removes the temp file on any failure, and HUP/INT/TERM/PIPE are turned
 * into a normal exit so the trap runs for them too. Only SIGKILL of the shell (or a power cut)
 * leaves `.NAME.runbook-XXXXXXXXXXXX.tmp` beside the target.
 */
import { randomBytes } from "node:crypto";
import { basename, dirname, join } from "node:path";
import { RunbookError } from "../errors.js";
import { shellJoin, shScript } from "./quote.js";
import type { CommandResult, PutOptions } from "./types.js";

/** The temp file name used for `path`: hidden, beside it (same filesystem, so `mv` is a rename). */
export function tempPathFor(path: string): string {
  return join(dirname(path), `.${shortened(basename(path))}.runbook-${randomBytes(6).toString("hex")}.tmp`);
}

/** Room left for the name in a 255-byte file name after ".", ".runbook-XXXXXXXXXXXX.tmp". */
const MAX_NAME_BYTES = 255 - 1 - 25;

/** The name cut to at most MAX_NAME_BYTES bytes of UTF-8 (whole characters), so a long target name still gets a legal temp name. */
function shortened(name: string): string {
  if (Buffer.byteLength(name) <= MAX_NAME_BYTES) return name;
  let cut = "";
  for (const character of name) {
    if (Buffer.byteLength(cut + character) > MAX_NAME_BYTES) break;
    cut += character;
  }
  return cut;
}

/**
 * The write, its lines the same for both sources of the content (stdin for `put`, an argument
 * for a batch's write), so that a failure reads the same either way (dash's messages carry the
 * line number). $1 temp file, $2 target, $3 owner, $4 group, $5 mode, $6 size, $7 printf format.
 */
function writeScript(contentLine: string, checkLine: string): string {
  return [
    "trap 'rm -f \"$1\"' EXIT",
    "trap 'exit 129' HUP INT TERM PIPE",
    "set -e",
    contentLine,
    checkLine,
    'if [ -n "$3" ]; then chown "$3" "$1"; fi',
    'if [ -n "$4" ]; then chgrp "$4" "$1"; fi',
    // a link at the target is replaced, not followed: copying its mode would give the new file 0777
    'if [ -n "$5" ]; then chmod "$5" "$1"; elif [ -e "$2" ] && [ ! -L "$2" ]; then chmod "$(stat -c %a "$2")" "$1"; fi',
    // renamed: nothing left for the EXIT trap to remove, and no `rm` process started for it
    'mv -f "$1" "$2"; trap - EXIT',
  ].join("\n");
}

const FROM_STDIN = writeScript(
  'cat > "$1"',
  // unquoted: some wc implementations pad the count with spaces
  'got=$(wc -c < "$1"); if [ $got -ne "$6" ]; then echo "short upload: $got of $6 bytes" >&2; exit 1; fi',
);

/**
 * From an argument: printf is the shell's own, and the command line arrives whole in the SSH
 * exec request (a dropped connection cannot cut it short), so no `cat`, no pipe and no byte
 * count: three processes fewer per file than stdin's write.
 */
const FROM_ARGUMENT = writeScript('printf "$7" > "$1"', ":");

/** Argument array writing stdin (exactly `size` bytes) atomically to `path`. */
export function atomicWriteArgv(path: string, options: PutOptions, size: number): string[] {
  return shScript(FROM_STDIN, ...writeArgs(path, options, size));
}

const writeArgs = (path: string, options: PutOptions, size: number): string[] => [tempPathFor(path), path, options.owner ?? "", options.group ?? "", options.mode ?? "", String(size)];

/**
 * The same write as one command of a longer script (the executor's batches, batch-apply.ts):
 * the content is printf's format argument instead of the channel's stdin, which a script shares
 * between all its commands. The write is a `sh -c` of its own with the same lines as `put`'s,
 * so that what it reports when it fails reads the same.
 */
export function atomicWriteCommand(path: string, options: PutOptions, content: Buffer): string {
  return shellJoin(shScript(FROM_ARGUMENT, ...writeArgs(path, options, content.length), printfFormat(content)));
}

/** `content` as a printf format that prints exactly its bytes: printable ASCII as itself, the rest in octal. */
export function printfFormat(content: Buffer): string {
  let format = "";
  for (const [index, byte] of content.entries()) {
    // a leading "-" would read as an option to some printf builtins
    if (byte === 0x2d && index === 0) format += "\\055";
    else if (byte === 0x25) format += "%%";
    else if (byte === 0x5c) format += "\\\\";
    else if (byte >= 0x20 && byte < 0x7f) format += String.fromCharCode(byte);
    else format += `\\${byte.toString(8).padStart(3, "0")}`;
  }
  return format;
}

/** Why a write failed, as `put` reports it (the same for every transport and for a batched write). */
export function putFailure(host: string, path: string, result: CommandResult, options: PutOptions): RunbookError {
  return new RunbookError("runtime", `${host}: cannot write ${path}: ${result.stderr.trim() || `exit status ${result.rc}`}`, {
    hint: options.become ? undefined : "writing outside the login user's files needs become",
  });
}
