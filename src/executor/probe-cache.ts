/**
 * Probe results read ahead of time, per host, so that a run of tasks that change nothing costs
 * one round trip instead of one per task.
 *
 * Before a task reads facts from a host, the executor may add the probes of the tasks that
 * follow it (lookahead.ts) to the same remote script. Their results wait here, keyed by the
 * exact command, the login (another remote_user reads as another user) and the become user.
 *
 * Why it cannot be stale, by construction: every host has a generation, and every step that
 * runs on the host (or may have: a failure part-way through one) advances it. A read carries
 * the generation it was sent in (`reading`); its results are stored, and taken, only while that
 * is still the host's generation. A result that was in flight while a step ran on the host (a
 * task delegated to it from another host) is dropped, never stored or used.
 * A speculative probe rendered with variables that a later `register`/`set_fact` changes simply
 * misses (its command differs), and the task probes again.
 */
import type { Probe, ProbeResult } from "../modules/types.js";
import type { BecomeOptions } from "../transport/types.js";
import { loginKey, type Login } from "./connections.js";

interface HostEntries {
  generation: number;
  readonly results: Map<string, ProbeResult>;
}

/** A read in flight: which host, and the generation it was sent in. */
export interface Reading {
  readonly host: string;
  readonly generation: number;
}

export class ProbeCache {
  private readonly hosts = new Map<string, HostEntries>();

  /** The results of all `probes` if every one is cached, else undefined (then they all run again). */
  take(host: string, probes: readonly Probe[], become: BecomeOptions | undefined, login: Login): ProbeResult[] | undefined {
    const entries = this.hosts.get(host);
    if (!entries || probes.length === 0) return undefined;
    const results: ProbeResult[] = [];
    for (const probe of probes) {
      const result = entries.results.get(probeKey(probe, become, login));
      if (result === undefined) return undefined;
      results.push(result);
    }
    return results;
  }

  /** Starts a read of `host`: pass the token back to `current` and `store`. */
  reading(host: string): Reading {
    return { host, generation: this.entries(host).generation };
  }

  /** Whether nothing has run on the host since the read was sent (else its results are stale). */
  current(reading: Reading): boolean {
    return this.entries(reading.host).generation === reading.generation;
  }

  /** Keeps a read's results, unless a step ran on the host while they were in flight. */
  store(reading: Reading, probes: readonly Probe[], results: readonly ProbeResult[], become: BecomeOptions | undefined, login: Login): void {
    if (!this.current(reading)) return;
    const entries = this.entries(reading.host);
    probes.forEach((probe, index) => {
      const result = results[index];
      // A probe the script did not finish (rc -1) is not an answer worth keeping.
      if (result !== undefined && result.rc !== -1) entries.results.set(probeKey(probe, become, login), result);
    });
  }

  /** A step runs (or ran, or may have) on the host: a new generation, and nothing read before it holds. */
  advance(host: string): void {
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

/**
 * The login and the become user are part of the key: the same `stat` may answer differently as
 * another user. (The generation stays the host's: a step over any login changes what all read.)
 */
export function probeKey(probe: Probe, become: BecomeOptions | undefined, login: Login): string {
  // NUL cannot occur in an argument (it ends a C string), so joining with it is unambiguous.
  return [loginKey(login), become?.user ?? "", ...probe.argv].join("\u0000");
}
