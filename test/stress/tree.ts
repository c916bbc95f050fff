/**
 * A byte-exact picture of a directory tree on a lab host, read without runbook (the host's
 * namespaces, no ssh): one line per path with its kind, mode, owner, group, size, sha256 (files)
 * and link target (links), sorted by path. A directory's size is left out: it tells how the
 * filesystem stores entries, not what a playbook made.
 */
import { labExec } from "../../src/lab/index.js";

/** Prints `path<TAB>kind<TAB>mode<TAB>owner<TAB>group<TAB>size<TAB>target` lines, then `--`, then sha256sum lines. */
const DUMP_SCRIPT = [
  'root=$1',
  'if [ ! -e "$root" ] && [ ! -L "$root" ]; then exit 0; fi',
  'find "$root" -printf "%p\\t%y\\t%#m\\t%u\\t%g\\t%s\\t%l\\n" | LC_ALL=C sort',
  'echo --',
  'find "$root" -type f -exec sha256sum {} + | LC_ALL=C sort -k 2',
].join("\n");

/** The host's tree under `root` as text; "" when `root` does not exist. */
export async function dumpTree(lab: string, host: string, root: string): Promise<string> {
  const result = await labExec(lab, host, ["sh", "-c", DUMP_SCRIPT, "sh", root]);
  if (result.rc !== 0) throw new Error(`tree dump of ${root} on ${host} exited ${result.rc}: ${result.stderr}`);
  return formatDump(result.stdout);
}

/** Every host's tree, by host. */
export async function dumpTrees(lab: string, hosts: readonly string[], root: string): Promise<Map<string, string>> {
  const dumps = await Promise.all(hosts.map((host) => dumpTree(lab, host, root)));
  return new Map(hosts.map((host, index) => [host, dumps[index] as string]));
}

/** Removes `root` on every host, so the next run starts from a fresh tree. */
export async function resetTrees(lab: string, hosts: readonly string[], root: string): Promise<void> {
  await Promise.all(
    hosts.map(async (host) => {
      const result = await labExec(lab, host, ["rm", "-rf", "--", root]);
      if (result.rc !== 0) throw new Error(`rm -rf ${root} on ${host} exited ${result.rc}: ${result.stderr}`);
    }),
  );
}

/** Joins find's lines and sha256sum's lines into one line per path (pure; exported for its unit test). */
export function formatDump(output: string): string {
  if (output.trim() === "") return "";
  const [listing = "", sums = ""] = output.split(/^--$/m);
  const digests = new Map<string, string>();
  for (const line of sums.split("\n").filter(Boolean)) {
    const match = /^([0-9a-f]{64}) {2}(.*)$/.exec(line);
    if (match) digests.set(match[2] as string, match[1] as string);
  }
  return listing
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const [path = "", kind = "", mode = "", owner = "", group = "", size = "", target = ""] = line.split("\t");
      const fields = [`${kind} ${mode} ${owner}:${group}`];
      if (kind !== "d") fields.push(`size=${size}`);
      if (kind === "f") fields.push(`sha256=${digests.get(path) ?? "?"}`);
      if (kind === "l") fields.push(`-> ${target}`);
      return `${path} ${fields.join(" ")}`;
    })
    .join("\n");
}
