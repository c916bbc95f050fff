/** Reading variables by a dotted path (debug's var:), controller-side. */

/** Looks up "a.b.0.c" in vars; undefined when any part is missing. */
export function lookupVar(vars: Readonly<Record<string, unknown>>, path: string): unknown {
  let value: unknown = vars;
  for (const part of path.split(".")) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** Where a task's expression is evaluated; PlanContext does not carry the task's location yet. */
export function taskLocation(host: string): { file: string; line: number; column: number } {
  return { file: `<task on ${host}>`, line: 1, column: 1 };
}
