/**
 * unarchive's reading of archives and of what they would extract to. An archive's members
 * (from `tar -tv` or `unzip -Z -T`, read on the controller for a controller file, on the host
 * for remote_src) are compared with what `stat` finds under dest, on what GNU tar's --diff
 * reports and Ansible counts as a difference: a missing member, and a file's or directory's
 * mode, owner ids and (files) modification time. Contents and sizes are not compared, as in
 * Ansible (tar --diff's "Contents differ" is not one of the lines it counts).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Fact } from "../types.js";
import { shScript } from "../../transport/quote.js";
import { ProbeError } from "./probe-error.js";

export type ArchiveKind = "zip" | "gzip" | "xz" | "bzip2" | "zstd" | "tar";

/** The archive's kind from its first bytes (hex), as Ansible's handlers would each claim it. */
export function archiveKind(magicHex: string): ArchiveKind {
  if (magicHex.startsWith("504b0304") || magicHex.startsWith("504b0506")) return "zip";
  if (magicHex.startsWith("1f8b")) return "gzip";
  if (magicHex.startsWith("fd377a585a00")) return "xz";
  if (magicHex.startsWith("425a68")) return "bzip2";
  if (magicHex.startsWith("28b52ffd")) return "zstd";
  return "tar";
}

export const TAR_FLAGS: Readonly<Record<Exclude<ArchiveKind, "zip">, readonly string[]>> = { gzip: ["-z"], xz: ["-J"], bzip2: ["-j"], zstd: ["--zstd"], tar: [] };

export const HANDLERS: Readonly<Record<ArchiveKind, string>> = { zip: "ZipArchive", gzip: "TgzArchive", xz: "TarXzArchive", bzip2: "TarBzipArchive", zstd: "TarZstdArchive", tar: "TarArchive" };

export interface Member {
  readonly name: string;
  readonly kind: "file" | "directory" | "link" | "other";
  /** Permission bits, four octal digits. */
  readonly mode: string;
  readonly uid?: number | undefined;
  readonly gid?: number | undefined;
  /** Seconds since the epoch (UTC). */
  readonly mtime: number;
}

const KINDS: Readonly<Record<string, Member["kind"]>> = { "-": "file", d: "directory", l: "link", h: "file" };

/** "rwxr-x--x" (with s/S/t/T) as four octal digits. */
export function modeBits(symbolic: string): string {
  const bit = (char: string | undefined, on: string): number => (char !== undefined && on.includes(char) ? 1 : 0);
  let special = 0;
  let perms = 0;
  for (let who = 0; who < 3; who++) {
    const [r, w, x] = [symbolic[who * 3], symbolic[who * 3 + 1], symbolic[who * 3 + 2]];
    perms = perms * 8 + bit(r, "r") * 4 + bit(w, "w") * 2 + bit(x, "xst");
    if (x !== undefined && "sStT".includes(x)) special |= 4 >> who;
  }
  return `${special}${perms.toString(8).padStart(3, "0")}`;
}

/** `TZ=UTC tar -tv --full-time --numeric-owner` lines as members, in order. */
export function parseTarListing(text: string): Member[] {
  return text.split("\n").filter((line) => line.trim() !== "").map((line) => {
    const match = /^(\S)(\S{9})\s+(\d+)\/(\d+)\s+\d+(?:,\d+)?\s+(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)\s(.*)$/.exec(line);
    if (match === null) throw new ProbeError(`cannot read the archive listing: ${line}`);
    const [, type = "", perms = "", uid = "", gid = "", date = "", time = "", rest = ""] = match;
    const name = rest.replace(/ (->|link to) .*$/, "");
    return { name, kind: KINDS[type] ?? "other", mode: modeBits(perms), uid: Number(uid), gid: Number(gid), mtime: Date.parse(`${date}T${time}Z`) / 1000 };
  });
}

/** `TZ=UTC unzip -Z -T` lines as members (no owners in a zip). */
export function parseZipListing(text: string): Member[] {
  const members: Member[] = [];
  for (const line of text.split("\n")) {
    const match = /^(\S)(\S{9})\s+\S+\s+\S+\s+\d+\s+\S+\s+\S+\s+(\d{8})\.(\d{6})\s(.*)$/.exec(line);
    if (match === null) continue;
    const [, type = "", perms = "", date = "", time = "", name = ""] = match;
    const iso = `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6)}T${time.slice(0, 2)}:${time.slice(2, 4)}:${time.slice(4)}Z`;
    members.push({ name, kind: KINDS[type] ?? "other", mode: modeBits(perms), mtime: Date.parse(iso) / 1000 });
  }
  return members;
}

/** Lists a controller archive (bytes) with the tools of the controller. */
export function listLocalArchive(bytes: Buffer): { kind: ArchiveKind; members: Member[] } {
  const kind = archiveKind(bytes.subarray(0, 6).toString("hex"));
  const env = { ...process.env, TZ: "UTC", LC_ALL: "C" };
  if (kind !== "zip") {
    const listing = execFileSync("tar", ["-tv", "--full-time", "--numeric-owner", ...TAR_FLAGS[kind], "-f", "-"], { input: bytes, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    return { kind, members: parseTarListing(listing) };
  }
  const dir = mkdtempSync(join(tmpdir(), "runbook-zip-"));
  try {
    writeFileSync(join(dir, "a.zip"), bytes);
    return { kind, members: parseZipListing(execFileSync("unzip", ["-Z", "-T", join(dir, "a.zip")], { env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 })) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What one member is on the host: "missing", or its kind, mode, owner ids and mtime. */
export type OnHost = { readonly exists: false } | { readonly exists: true; readonly kind: Member["kind"]; readonly mode: string; readonly uid: number; readonly gid: number; readonly mtime: number };

export function parseStatLine(line: string): OnHost {
  if (line === "missing") return { exists: false };
  const [type = "", mode = "", uid = "", gid = "", mtime = ""] = line.split("|");
  const kind = type.startsWith("regular") ? "file" : type === "directory" ? "directory" : type === "symbolic link" ? "link" : "other";
  return { exists: true, kind, mode: mode.padStart(4, "0"), uid: Number(uid), gid: Number(gid), mtime: Number(mtime) };
}

/** Whether extracting would change the member, as GNU tar --diff and Ansible's filter of it see it. */
export function memberDiffers(member: Member, host: OnHost, wanted: { mode?: string | undefined; owner?: string | undefined; group?: string | undefined }): boolean {
  if (!host.exists) return true;
  if (member.kind === "link") return false;
  if (wanted.mode === undefined && Number.parseInt(member.mode, 8) !== Number.parseInt(host.mode, 8)) return true;
  if (member.kind !== "file") return false;
  if (wanted.owner === undefined && member.uid !== undefined && member.uid !== host.uid) return true;
  if (wanted.group === undefined && member.gid !== undefined && member.gid !== host.gid) return true;
  return member.mtime !== host.mtime;
}

export type ArchiveOnHost =
  | { readonly kind: "no-source" | "empty-source" | "no-dest" }
  | { readonly kind: "read"; readonly archive: ArchiveKind; readonly members: readonly Member[]; readonly host: readonly OnHost[] };

/*
 * $1 src ("" when the listing came from the controller), $2 dest, $3 how many leading name
 * parts tar strips (remote tar archives), then member names (controller listing, already
 * stripped). Output: "nodest", "nosrc", "empty", or "magic HEX", listing lines "L ...", and
 * one "S ..." stat line per member, in the listing's order.
 */
const SCRIPT = [
  'src="$1"; dest="$2"; strip="$3"; shift 3',
  'if [ ! -d "$dest" ]; then echo nodest; exit 0; fi',
  'if [ -n "$src" ]; then',
  '  if [ ! -e "$src" ]; then echo nosrc; exit 0; fi; if [ ! -s "$src" ]; then echo empty; exit 0; fi',
  '  m=$(od -An -tx1 -N6 -- "$src" | tr -d " \\n"); echo "magic $m"',
  '  case "$m" in 504b0304*|504b0506*) TZ=UTC LC_ALL=C unzip -Z -T -- "$src" | sed "s/^/L /";;',
  '  *) TZ=UTC LC_ALL=C tar -tv --full-time --numeric-owner -f "$src" | sed "s/^/L /";; esac',
  '  list() { case "$m" in 504b0304*|504b0506*) unzip -Z1 -- "$src";; *) tar -tf "$src";; esac; }',
  '  list | while IFS= read -r n; do n=$(printf "%s\\n" "$n" | cut -d/ -f$((strip + 1))-)',
  '    printf "S "; stat -c "%F|%a|%u|%g|%Y" -- "$dest/$n" 2>/dev/null || echo missing; done',
  'else',
  '  for n in "$@"; do printf "S "; stat -c "%F|%a|%u|%g|%Y" -- "$dest/$n" 2>/dev/null || echo missing; done',
  'fi',
].join("\n");

export function parseArchiveOnHost(stdout: string, controller: { kind: ArchiveKind; members: Member[] } | undefined): ArchiveOnHost {
  const lines = stdout.split("\n");
  const first = lines[0] ?? "";
  if (first === "nodest") return { kind: "no-dest" };
  if (first === "nosrc") return { kind: "no-source" };
  if (first === "empty") return { kind: "empty-source" };
  const host = lines.filter((line) => line.startsWith("S ")).map((line) => parseStatLine(line.slice(2)));
  if (controller !== undefined) return { kind: "read", archive: controller.kind, members: controller.members, host };
  const archive = archiveKind(first.replace(/^magic /, ""));
  const listing = lines.filter((line) => line.startsWith("L ")).map((line) => line.slice(2)).join("\n");
  const members = archive === "zip" ? parseZipListing(listing) : parseTarListing(listing);
  if (members.length !== host.length) throw new ProbeError(`cannot read the archive: ${members.length} members listed, ${host.length} looked at`);
  return { kind: "read", archive, members, host };
}

/** A member's name as tar --show-transformed-names shows it with --strip-components; "" when nothing is left. */
export function strippedName(name: string, count: number): string {
  return name.split("/").slice(count).join("/");
}

/** The fact "the archive's members against dest" (`strip`: --strip-components of a tar archive). */
export function archiveFact(remoteSrc: string | undefined, dest: string, controller: { kind: ArchiveKind; members: Member[] } | undefined, strip: number): Fact<ArchiveOnHost> {
  const count = controller?.kind === "zip" ? 0 : strip;
  const names = controller?.members.map((member) => strippedName(member.name, count)) ?? [];
  return {
    argv: shScript(SCRIPT, remoteSrc ?? "", dest, String(strip), ...names),
    parse: (result) => {
      if (result.rc !== 0) throw new ProbeError(`cannot read the archive: ${result.stderr.trim() || `exit ${result.rc}`}`);
      return parseArchiveOnHost(result.stdout, controller);
    },
  };
}
