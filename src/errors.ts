/**
 * User-facing errors. Every error a person can cause carries where it happened and a hint;
 * the CLI maps the kind to the exit code ansible-playbook gives for the same mistake
 * (src/cli/exit-codes.ts) and prints it without a stack trace (report/error-format.ts).
 * Internal bugs stay plain `Error`s.
 */

/** A place in a source file, 1-based line and column. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/**
 * What kind of mistake, named by when Ansible would find it (which decides the exit code):
 * - parse: malformed input Ansible's parser rejects (a YAML, play or task structure error)
 * - play: a value or a file Ansible checks while it builds the play (a role, a handler or a
 *   file not found, a strategy or meta action it does not know)
 * - task: a task's arguments, keyword values, expressions or variables: Ansible finds these
 *   only when it runs the task on a host (runbook finds them before anything runs)
 * - usage: command-line syntax (an unknown option, a number that is not one)
 * - options: other bad options (runbook's own, without an Ansible counterpart)
 * - runtime: anything else
 */
export type ErrorKind = "parse" | "play" | "task" | "usage" | "options" | "runtime";

export interface RunbookErrorOptions {
  readonly location?: SourceLocation | undefined;
  /** For a ParseError: which kind of input mistake it is (default parse). */
  readonly kind?: "parse" | "play" | "task" | undefined;
  readonly hint?: string | undefined;
  readonly cause?: unknown;
}

export class RunbookError extends Error {
  readonly kind: ErrorKind;
  readonly location: SourceLocation | undefined;
  readonly hint: string | undefined;

  constructor(kind: ErrorKind, message: string, options: RunbookErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "RunbookError";
    this.kind = kind;
    this.location = options.location;
    this.hint = options.hint;
  }
}

/** Bad input in a playbook, role, inventory, vars file or template (kind parse, play or task). */
export class ParseError extends RunbookError {
  constructor(message: string, options: RunbookErrorOptions = {}) {
    super(options.kind ?? "parse", message, options);
    this.name = "ParseError";
  }
}

/** Bad command-line options (kind options; usage for command-line syntax). */
export class OptionsError extends RunbookError {
  /** `kind`: usage for command-line syntax; runtime for a value Ansible reports as a plain error (exit 1). */
  constructor(message: string, options: Omit<RunbookErrorOptions, "kind"> & { readonly kind?: "usage" | "options" | "runtime" } = {}) {
    super(options.kind ?? "options", message, { location: options.location, hint: options.hint, cause: options.cause });
    this.name = "OptionsError";
  }
}

/** Ansible's exit codes. */
export const ExitCode = {
  ok: 0,
  error: 1,
  hostFailed: 2,
  hostUnreachable: 3,
  parseError: 4,
  badOptions: 5,
  interrupted: 99,
} as const;

/**
 * "did you mean 'x'?" for a misspelled name, or undefined when nothing is close. Distance is
 * optimal string alignment (Levenshtein plus swapping two neighbours), so `cpoy` finds `copy`;
 * names equally close are all offered, nearest first in the candidates' order.
 */
export function didYouMean(name: string, candidates: Iterable<string>): string | undefined {
  const wanted = name.toLowerCase();
  const near = new Map<string, number>();
  for (const candidate of candidates) {
    const distance = editDistance(wanted, candidate.toLowerCase());
    const allowed = Math.max(1, Math.floor(Math.max(name.length, candidate.length) / 3));
    if (distance <= allowed && candidate !== name) near.set(candidate, distance);
  }
  const best = Math.min(...near.values());
  const names = [...near].filter(([, distance]) => distance === best).map(([candidate]) => `'${candidate}'`);
  if (names.length === 0) return undefined;
  return `did you mean ${names.slice(0, 3).join(" or ")}?`;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const above = rows[i - 1] ?? [];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min((above[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (above[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, (rows[i - 2]?.[j - 2] ?? 0) + 1);
      row.push(best);
    }
    rows.push(row);
  }
  return rows[a.length]?.[b.length] ?? 0;
}
