/** Ansible's PLAY RECAP lines. */
import type { ChalkInstance } from "chalk";
import type { HostStats } from "../executor/events.js";

export function formatRecap(stats: ReadonlyMap<string, HostStats>, color: ChalkInstance): string {
  const names = [...stats.keys()].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
  const width = Math.max(0, ...names.map((name) => name.length));
  const lines = ["", `PLAY RECAP ${"*".repeat(60)}`];
  for (const name of names) {
    const s = stats.get(name) as HostStats;
    const hostColor = s.failed > 0 || s.unreachable > 0 ? color.red : s.changed > 0 ? color.yellow : color.green;
    const field = (label: string, value: number, paint: ChalkInstance): string => {
      const text = `${label}=${value}`;
      return value > 0 ? paint(text) : text;
    };
    lines.push(
      [
        `${hostColor(name.padEnd(width))} :`,
        field("ok", s.ok, color.green),
        field("changed", s.changed, color.yellow),
        field("unreachable", s.unreachable, color.red),
        field("failed", s.failed, color.red),
        field("skipped", s.skipped, color.cyan),
        field("rescued", s.rescued, color.green),
        field("ignored", s.ignored, color.magenta),
      ].join("  "),
    );
  }
  return lines.join("\n");
}
