/**
 * Start trees and snapshots. A snapshot is what the comparison looks at: for every path under a
 * case directory its kind, permission bits, owner and group (as names, read from the account
 * files the run used), bytes (sha256 and, when short text, the text) and link target. Times
 * are left out on purpose: they always differ between two runs.
 */
import { createHash } from "node:crypto";
import { chmodSync, chownSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { TreeEntry } from "./case-schema.js";

export interface Ids {
  readonly users: ReadonlyMap<number, string>;
  readonly groups: ReadonlyMap<number, string>;
}

export type NodeSnapshot =
  | { kind: "file"; mode: string; owner: string; group: string; links: number; sha256: string; text?: string }
  | { kind: "directory"; mode: string; owner: string; group: string }
  | { kind: "link"; owner: string; group: string; target: string }
  | { kind: "other"; mode: string };

export type TreeSnapshot = Record<string, NodeSnapshot>;

/** Files up to this many bytes are kept as text (readable differences); larger ones by sha256 only. */
export const TEXT_LIMIT = 1024;

/** Name to id, from the controller's own account files (start trees are built outside the runs). */
function idOf(name: string | undefined, file: string): number {
  if (name === undefined) return 0;
  if (/^\d+$/.test(name)) return Number(name);
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const [entry, , id] = line.split(":");
    if (entry === name && id !== undefined) return Number(id);
  }
  throw new Error(`start tree: no such account '${name}' in ${file}`);
}

export function buildTree(root: string, tree: Readonly<Record<string, TreeEntry>>): void {
  mkdirSync(root, { recursive: true, mode: 0o755 });
  chmodSync(root, 0o755);
  // parents first, so a directory's own mode is set after its children exist
  for (const path of Object.keys(tree).sort()) buildEntry(join(root, path), tree[path] ?? null);
}

function buildEntry(path: string, entry: TreeEntry): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o755 });
  if (entry !== null && typeof entry === "object" && "link" in entry) {
    symlinkSync(entry.link, path);
  } else if (path.endsWith("/")) {
    mkdirSync(path, { recursive: true });
    setOwned(path, typeof entry === "object" && entry !== null ? entry : {}, "0755");
  } else if (typeof entry === "string" || entry === null) {
    writeFileSync(path, entry ?? "");
    setOwned(path, {}, "0644");
  } else {
    writeFileSync(path, "content" in entry ? entry.content : "base64" in entry ? Buffer.from(entry.base64, "base64") : "");
    setOwned(path, entry, "0644");
  }
}

function setOwned(path: string, entry: { mode?: string | undefined; owner?: string | undefined; group?: string | undefined }, mode: string): void {
  chownSync(path, idOf(entry.owner, "/etc/passwd"), idOf(entry.group, "/etc/group"));
  chmodSync(path, parseInt(entry.mode ?? mode, 8));
}

/** Accounts by id, from a run's copy of /etc/passwd and /etc/group. */
export function readIds(etc: string): Ids {
  const read = (file: string): Map<number, string> => {
    const map = new Map<number, string>();
    for (const line of readFileSync(join(etc, file), "utf8").split("\n")) {
      const [name, , id] = line.split(":");
      if (name && id !== undefined && !map.has(Number(id))) map.set(Number(id), name);
    }
    return map;
  };
  return { users: read("passwd"), groups: read("group") };
}

export function snapshotTree(root: string, ids: Ids): TreeSnapshot {
  const snapshot: TreeSnapshot = {};
  const walk = (dir: string, rel: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const key = rel ? `${rel}/${name}` : name;
      snapshot[key] = snapshotNode(path, ids);
      if (snapshot[key].kind === "directory") walk(path, key);
    }
  };
  snapshot["."] = snapshotNode(root, ids);
  walk(root, "");
  return snapshot;
}

function snapshotNode(path: string, ids: Ids): NodeSnapshot {
  const st = lstatSync(path);
  const owner = ids.users.get(st.uid) ?? String(st.uid);
  const group = ids.groups.get(st.gid) ?? String(st.gid);
  const mode = (st.mode & 0o7777).toString(8).padStart(4, "0");
  if (st.isSymbolicLink()) return { kind: "link", owner, group, target: readlinkSync(path) };
  if (st.isDirectory()) return { kind: "directory", mode, owner, group };
  if (!st.isFile()) return { kind: "other", mode };
  const bytes = readFileSync(path);
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const text = bytes.length <= TEXT_LIMIT && !bytes.includes(0) ? bytes.toString("utf8") : undefined;
  const file = { kind: "file" as const, mode, owner, group, links: st.nlink, sha256 };
  return text === undefined ? file : { ...file, text };
}

