/**
 * Prints the top frames of a V8 .cpuprofile (from `node --cpu-prof`) by self time, with the
 * total time under each: `vite-node bench/profile-top.ts FILE [COUNT]`.
 */
import { readFileSync } from "node:fs";

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}

interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
  readonly startTime: number;
  readonly endTime: number;
}

export function topFrames(profile: Profile, count: number): string[] {
  const selfMs = new Map<number, number>();
  profile.samples.forEach((id, index) => selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0) / 1000));
  const byFrame = new Map<string, number>();
  for (const node of profile.nodes) {
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url.replace(/^.*\/(node_modules\/|dist\/|src\/)/, "$1");
    const key = `${functionName || "(anonymous)"} ${file ? `${file}:${lineNumber + 1}` : ""}`.trim();
    byFrame.set(key, (byFrame.get(key) ?? 0) + (selfMs.get(node.id) ?? 0));
  }
  const totalMs = (profile.endTime - profile.startTime) / 1000;
  const lines = [`profile: ${totalMs.toFixed(0)} ms wall, ${profile.samples.length} samples`];
  const sorted = [...byFrame].sort((a, b) => b[1] - a[1]).slice(0, count);
  for (const [frame, ms] of sorted) lines.push(`${ms.toFixed(1).padStart(8)} ms  ${((ms / totalMs) * 100).toFixed(1).padStart(5)}%  ${frame}`);
  return lines;
}

const [file, count = "25"] = process.argv.slice(2).filter((arg) => arg !== "--");
if (file) process.stdout.write(`${topFrames(JSON.parse(readFileSync(file, "utf8")) as Profile, Number(count)).join("\n")}\n`);
