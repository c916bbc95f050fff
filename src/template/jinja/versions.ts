/** Ansible's version test/filter: loose version comparison (numbers compare as numbers, words as words). */
import { ValueProblem } from "../values.js";

function parts(version: string): (number | string)[] {
  return (version.match(/\d+|[a-z]+|\./gi) ?? []).filter((part) => part !== ".").map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

function order(a: string, b: string): number {
  const x = parts(a);
  const y = parts(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const p = x[i];
    const q = y[i];
    if (p === undefined) return -1;
    if (q === undefined) return 1;
    if (p === q) continue;
    if (typeof p === "number" && typeof q === "number") return p - q;
    return String(p) < String(q) ? -1 : 1;
  }
  return 0;
}

const OPERATORS: Readonly<Record<string, (n: number) => boolean>> = {
  "==": (n) => n === 0, eq: (n) => n === 0, "=": (n) => n === 0,
  "!=": (n) => n !== 0, "<>": (n) => n !== 0, ne: (n) => n !== 0,
  "<": (n) => n < 0, lt: (n) => n < 0, "<=": (n) => n <= 0, le: (n) => n <= 0,
  ">": (n) => n > 0, gt: (n) => n > 0, ">=": (n) => n >= 0, ge: (n) => n >= 0,
};

export function compareVersions(value: string, other: string, operator: string): boolean {
  const check = OPERATORS[operator];
  if (check === undefined) throw new ValueProblem(`Invalid operator type (${operator})`, `one of ${Object.keys(OPERATORS).join(", ")}`);
  return check(order(value, other));
}
