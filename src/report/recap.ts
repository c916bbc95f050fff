/** Ansible's PLAY RECAP lines. */
import type { ChalkInstance } from "chalk";
import type { HostStats } from "../executor/events.js";

/**
 * Host names in the recap's order: h2 before h10, so reports of two runs compare line by line.
 * One collator for every comparison: localeCompare with options builds one per call, which at
 * 1,000 hosts is most of a sort's time.
 */
export const compareHostNames: (a: string, b: string) => number = new Intl.Collator(undefined, { numeric: true }).compare;

export function recapOrder(names: Iterable<string>): string[] {
  return [...names].sort(compareHostNames);
}

/** A host's run in one word, as the recap colours it. */
export function hostOutcome(stats: HostStats): "failed" | "changed" | "ok" {
  return stats.failed > 0 || stats.unreachable > 0 ? "failed" : stats.changed > 0 ? "changed" : "ok";
}

export function formatRecap(stats: ReadonlyMap<string, HostStats>, color: ChalkInstance): string {
  const names = recapOrder(stats.keys());
  const width = Math.max(0, ...names.map((name) => name.length));
  const lines = ["", `PLAY RECAP ${"*".repeat(60)}`];
  for (const name of names) {
    const s = stats.get(name) as HostStats;
    const hostColor = { failed: color.red, changed: color.yellow, ok: color.green }[hostOutcome(s)];
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
