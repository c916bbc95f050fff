/**
 * getent facts for users and groups, and their pure parsers. Absence is a value (null); a getent
 * that could not answer (rc other than 0 and 2) is a ProbeError.
 */
import type { ProbeResult } from "../types.js";
import { ProbeError } from "./probe-error.js";

function answered(result: ProbeResult, database: string): boolean {
  if (result.rc === 2) return false;
  if (result.rc !== 0) throw new ProbeError(`getent ${database} failed: ${result.stderr.trim() || `exit ${result.rc}`}`);
  return true;
}

export interface PasswdEntry {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
  /** The GECOS field (user's `comment`). */
  readonly comment: string;
  readonly home: string;
  readonly shell: string;
}

/** `getent passwd NAME`: rc 2 means no such user (null). */
export function parsePasswd(result: ProbeResult): PasswdEntry | null {
  if (!answered(result, "passwd")) return null;
  const [name = "", , uid = "", gid = "", comment = "", home = "", shell = ""] = result.stdout.trim().split(":");
  return { name, uid: Number(uid), gid: Number(gid), comment, home, shell };
}

/** `getent shadow NAME`: the password field (a hash, `!...` when locked); null for no such user. */
export function parseShadowPassword(result: ProbeResult): string | null {
  if (!answered(result, "shadow")) return null;
  return result.stdout.trim().split(":")[1] ?? "";
}

export interface GroupEntry {
  readonly name: string;
  readonly gid: number;
  readonly members: readonly string[];
}

/** `getent group NAME`: rc 2 means no such group (null). */
export function parseGroup(result: ProbeResult): GroupEntry | null {
  if (!answered(result, "group")) return null;
  const [name = "", , gid = "", members = ""] = result.stdout.trim().split(":");
  return { name, gid: Number(gid), members: members === "" ? [] : members.split(",") };
}

/** `id -Gn NAME` / `id -gn NAME`: group names separated by spaces (none for a missing user). */
export function parseNames(result: ProbeResult): string[] {
  if (result.rc !== 0) return [];
  return result.stdout.trim().split(/\s+/).filter((name) => name !== "");
}
