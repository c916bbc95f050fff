/** getent probes for users and groups, and their pure parsers. */
import type { ProbeResult } from "../types.js";

export interface PasswdEntry {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
  readonly home: string;
  readonly shell: string;
}

/** `getent passwd NAME`: rc 2 means no such user. */
export function parsePasswd(result: ProbeResult): PasswdEntry | undefined {
  if (result.rc !== 0) return undefined;
  const [name = "", , uid = "", gid = "", , home = "", shell = ""] = result.stdout.trim().split(":");
  return { name, uid: Number(uid), gid: Number(gid), home, shell };
}

export interface GroupEntry {
  readonly name: string;
  readonly gid: number;
  readonly members: readonly string[];
}

/** `getent group NAME`: rc 2 means no such group. */
export function parseGroup(result: ProbeResult): GroupEntry | undefined {
  if (result.rc !== 0) return undefined;
  const [name = "", , gid = "", members = ""] = result.stdout.trim().split(":");
  return { name, gid: Number(gid), members: members === "" ? [] : members.split(",") };
}

/** `id -Gn NAME` / `id -gn NAME`: group names separated by spaces. */
export function parseNames(result: ProbeResult | undefined): string[] {
  if (result === undefined || result.rc !== 0) return [];
  return result.stdout.trim().split(/\s+/).filter((name) => name !== "");
}
