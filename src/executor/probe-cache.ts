/**
 * Probe results read ahead of time, per host, so that a run of tasks that change nothing costs
 * one round trip instead of one per task.
 *
 * Before a task probes a host, the executor may add the probes of the tasks that follow it
 * (lookahead.ts) to the same remote script. Their results wait here, keyed by the exact command
 * and the become user. A later task whose probes are all here uses them without asking the host.
 *
 * Why this is safe: probes only read the host, and the host's state only changes when a step runs
 * on it. Any step on a host (or a failure part-way through one) drops that host's cache, so a
 * cached answer is never older than the last change runbook made. A batch that was in flight while
 * the host changed (a task delegated to it from another host) is not stored: `generation` tells.
 * A speculative probe rendered with variables that a later `register`/`set_fact` changes simply
 * misses (its command differs), and the task probes again.
 */
import type { Probe, ProbeResult } from "../modules/types.js";
import type { BecomeOptions } from "../transport/types.js";

interface HostEntries {
  generation: number;
  readonly results: Map<string, ProbeResult>;
}

export class ProbeCache {
  private readonly hosts = new Map<string, HostEntries>();

  /** The results of all `probes` if every one is cached, else undefined (then they all run again). */
  take(host: string, probes: readonly Probe[], become: BecomeOptions | undefined): ProbeResult[] | undefined {
    const entries = this.hosts.get(host);
    if (!entries || probes.length === 0) return undefined;
    const results: ProbeResult[] = [];
    for (const probe of probes) {
      const result = entries.results.get(probeKey(probe, become));
      if (result === undefined) return undefined;
      results.push(result);
    }
    return results;
  }

  /** The host's generation now; pass it back to `store` to drop results that a change overtook. */
  generation(host: string): number {
    return this.entries(host).generation;
  }

  store(host: string, generation: number, probes: readonly Probe[], results: readonly ProbeResult[], become: BecomeOptions | undefined): void {
    const entries = this.entries(host);
    if (entries.generation !== generation) return;
    probes.forEach((probe, index) => {
      const result = results[index];
      // A probe the script did not finish (rc -1) is not an answer worth keeping.
      if (result !== undefined && result.rc !== -1) entries.results.set(probeKey(probe, become), result);
    });
  }

  /** Something ran on the host (or may have): forget everything read from it. */
  invalidate(host: string): void {
    const entries = this.entries(host);
    entries.generation += 1;
    entries.results.clear();
  }

  /** How many results are waiting for the host (for tests and -vvv). */
  size(host: string): number {
    return this.hosts.get(host)?.results.size ?? 0;
  }

  private entries(host: string): HostEntries {
    let entries = this.hosts.get(host);
    if (!entries) {
      entries = { generation: 0, results: new Map() };
      this.hosts.set(host, entries);
    }
    return entries;
  }
}

/** The become user is part of the key: the same `stat` may answer differently as another user. */
export function probeKey(probe: Probe, become: BecomeOptions | undefined): string {
  // NUL cannot occur in an argument (it ends a C string), so joining with it is unambiguous.
  return [become?.user ?? "", ...probe.argv].join("\u0000");
}
