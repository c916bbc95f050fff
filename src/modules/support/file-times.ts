/**
 * file's access_time / modification_time: "preserve" (leave it), "now", or a time written in
 * the matching *_format (Python strftime: %Y %m %d %H %M %S), read in the host's time zone as
 * Ansible's time.mktime does. An explicit time is compared with the path's, so a second run of
 * a task that set it is ok.
 */
import type { Fact, Step } from "../types.js";
import { shScript } from "../../transport/quote.js";

export type TimeSpec = { readonly kind: "preserve" } | { readonly kind: "now" } | { readonly kind: "at"; readonly date: string };

const FIELDS: Readonly<Record<string, string>> = { Y: "(\\d{4})", m: "(\\d{2})", d: "(\\d{2})", H: "(\\d{2})", M: "(\\d{2})", S: "(\\d{2})" };

/** "202601021504" in "%Y%m%d%H%M" as "2026-01-02 15:04:00" (what `date -d` and `touch -d` read); undefined when it does not match. */
export function parseTime(value: string, format: string): string | undefined {
  const order: string[] = [];
  const source = format.replace(/%(.)|[.*+?^${}()|[\]\\]/g, (token, letter: string | undefined) => {
    if (letter === undefined) return `\\${token}`;
    const field = FIELDS[letter];
    if (field === undefined) return token;
    order.push(letter);
    return field;
  });
  const match = new RegExp(`^${source}$`).exec(value);
  if (match === null) return undefined;
  const part = (letter: string, fallback: string): string => (order.includes(letter) ? match[order.indexOf(letter) + 1] : undefined) ?? fallback;
  return `${part("Y", "1970")}-${part("m", "01")}-${part("d", "01")} ${part("H", "00")}:${part("M", "00")}:${part("S", "00")}`;
}

export function timeSpec(value: string | undefined, format: string, fallback: "now" | "preserve"): TimeSpec | undefined {
  const text = value ?? fallback;
  if (text === "preserve" || text === "now") return { kind: text };
  const date = parseTime(text, format);
  return date === undefined ? undefined : { kind: "at", date };
}

/** Whether the path's times already are the explicit ones: "atime mtime wantedAtime wantedMtime" in epoch seconds. */
export function timesFact(path: string, access: TimeSpec, modification: TimeSpec): Fact<boolean> | undefined {
  if (access.kind !== "at" && modification.kind !== "at") return undefined;
  const script = [
    "set -e",
    'now=$(stat -L -c "%X %Y" -- "$1")',
    'a=${now% *}; m=${now#* }',
    'if [ -n "$2" ]; then a=$(date -d "$2" +%s); fi',
    'if [ -n "$3" ]; then m=$(date -d "$3" +%s); fi',
    'if [ "$now" = "$a $m" ]; then echo same; else echo differs; fi',
  ].join("\n");
  const date = (spec: TimeSpec): string => (spec.kind === "at" ? spec.date : "");
  return { argv: shScript(script, path, date(access), date(modification)), parse: (result) => result.rc === 0 && result.stdout.trim() === "same" };
}

/** The touch steps that set the times (none when both are preserved). */
export function timeSteps(path: string, access: TimeSpec, modification: TimeSpec): Step[] {
  const steps: Step[] = [];
  if (access.kind === "now" && modification.kind === "now") return [{ kind: "run", argv: ["touch", "-c", "--", path] }];
  if (access.kind !== "preserve") steps.push({ kind: "run", argv: ["touch", "-c", "-a", ...(access.kind === "at" ? ["-d", access.date] : []), "--", path] });
  if (modification.kind !== "preserve") steps.push({ kind: "run", argv: ["touch", "-c", "-m", ...(modification.kind === "at" ? ["-d", modification.date] : []), "--", path] });
  return steps;
}
