/** /proc/self/mountinfo as data (pure parser), for cgroup hierarchies and leftover mounts. */
import { readFileSync } from "node:fs";

export interface MountEntry {
  readonly mountPoint: string;
  /** The mounted directory inside the filesystem (field 4). */
  readonly root: string;
  readonly fsType: string;
  readonly superOptions: readonly string[];
}

/** mountinfo escapes space, tab, newline and backslash as octal (\040 ...). */
function unescape(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

export function parseMountInfo(text: string): MountEntry[] {
  const entries: MountEntry[] = [];
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    const [before, after] = line.split(" - ");
    if (before === undefined || after === undefined) continue;
    const fields = before.split(" ");
    const [fsType, , superOptions] = after.split(" ");
    const root = fields[3];
    const mountPoint = fields[4];
    if (root === undefined || mountPoint === undefined || fsType === undefined) continue;
    entries.push({
      mountPoint: unescape(mountPoint),
      root: unescape(root),
      fsType,
      superOptions: (superOptions ?? "").split(","),
    });
  }
  return entries;
}

export function readMountInfo(): MountEntry[] {
  return parseMountInfo(readFileSync("/proc/self/mountinfo", "utf8"));
}

/** Mount points at or below `dir`, deepest first (the order to unmount them in). */
export function mountsUnder(entries: readonly MountEntry[], dir: string): string[] {
  const prefix = dir.endsWith("/") ? dir : `${dir}/`;
  return entries
    .map((entry) => entry.mountPoint)
    .filter((point) => point === dir || point.startsWith(prefix))
    .sort((a, b) => b.length - a.length);
}
