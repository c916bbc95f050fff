/**
 * A small seeded pseudo-random generator (mulberry32): the stress generator must give the same
 * playbook for the same seed on every machine and every run, so that a printed seed reproduces.
 */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** A whole number in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error("pick from an empty list");
    return items[this.int(0, items.length - 1)] as T;
  }

  /** One of `choices`, each as likely as its weight. */
  weighted<T>(choices: readonly (readonly [T, number])[]): T {
    const total = choices.reduce((sum, [, weight]) => sum + weight, 0);
    let point = this.next() * total;
    for (const [value, weight] of choices) {
      point -= weight;
      if (point < 0) return value;
    }
    return (choices.at(-1) as readonly [T, number])[0];
  }

  /**
   * Interleaves lists at random, keeping each list's own order (tasks of one directory must
   * stay in order; tasks of different directories may mix).
   */
  interleave<T>(lists: readonly (readonly T[])[]): T[] {
    const cursors = lists.map(() => 0);
    const merged: T[] = [];
    for (;;) {
      const open = lists.map((list, index) => index).filter((index) => (cursors[index] as number) < (lists[index] as readonly T[]).length);
      if (open.length === 0) return merged;
      const chosen = this.pick(open);
      merged.push((lists[chosen] as readonly T[])[cursors[chosen] as number] as T);
      cursors[chosen] = (cursors[chosen] as number) + 1;
    }
  }
}
