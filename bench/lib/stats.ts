/** Small numeric helpers for the bench (pure). */

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** a / b, or NaN when either is missing. */
export function ratio(a: number | undefined, b: number | undefined): number {
  if (a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || b === 0) return Number.NaN;
  return a / b;
}

/** Sums the `changed=N` counts of a PLAY RECAP (runbook and Ansible print the same shape). */
export function changedCount(output: string): number | undefined {
  const counts = [...output.matchAll(/\bchanged=(\d+)/g)].map((match) => Number(match[1]));
  return counts.length === 0 ? undefined : counts.reduce((sum, count) => sum + count, 0);
}
