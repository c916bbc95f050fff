/** Unified diffs for --diff, coloured on a terminal, headed with host and path. */
import type { ChalkInstance } from "chalk";
import { createTwoFilesPatch } from "diff";
import type { FileDiff } from "../modules/types.js";

export function formatDiff(host: string, diff: FileDiff, color: ChalkInstance): string {
  const patch = createTwoFilesPatch(`${host}:${diff.path} (before)`, `${host}:${diff.path} (after)`, diff.before, diff.after, undefined, undefined, {
    context: 3,
  });
  return patch
    .split("\n")
    .slice(1) // the "====" separator line
    .filter((line, index, all) => !(index === all.length - 1 && line === ""))
    .map((line) => {
      if (line.startsWith("+++") || line.startsWith("---")) return color.bold(line);
      if (line.startsWith("+")) return color.green(line);
      if (line.startsWith("-")) return color.red(line);
      if (line.startsWith("@@")) return color.cyan(line);
      return line;
    })
    .join("\n");
}
