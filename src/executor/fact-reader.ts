/**
 * Reads the facts a task asked for: check mode's predictions first, then the probe cache, then
 * the host (with the following tasks' probes riding along, lookahead.ts), and parses each once.
 *
 * One rule for a fact that cannot be read: its parser throws, and the outcome is `failed` with
 * the fact's name, the message, and the command's exit code and stderr.
 */
import type { FactRequests, Probe, ProbeResult } from "../modules/types.js";
import type { BecomeOptions, Transport } from "../transport/types.js";
import type { Login } from "./connections.js";
import type { Predictions } from "./predictions.js";
import { probeKey, type ProbeCache } from "./probe-cache.js";
import { runProbes } from "./probe-batch.js";

export interface FactFailure {
  readonly fact: string;
  readonly message: string;
  readonly rc: number;
  readonly stderr: string;
}

export type FactsOutcome =
  | { readonly kind: "read"; readonly values: Readonly<Record<string, unknown>> }
  | { readonly kind: "failed"; readonly failure: FactFailure }
  /** Check mode: an earlier would-be change touches this fact, and what it leaves cannot be told. */
  | { readonly kind: "unknown"; readonly why: string };

export interface FactSource {
  readonly transport: Transport;
  readonly become: BecomeOptions | undefined;
  /** The login `transport` is: part of every cached result's key. */
  readonly login: Login;
  readonly timeoutMs?: number | undefined;
  /** Results read ahead; without it every fact is read from the host. */
  readonly cache?: ProbeCache | undefined;
  /** The following tasks' probes, to send along when this task has to ask the host anyway. */
  readonly prefetch?: (() => readonly Probe[]) | undefined;
  /** Check mode: what earlier tasks would have changed. */
  readonly predictions?: Predictions | undefined;
}

export async function readFacts(requests: FactRequests, source: FactSource): Promise<FactsOutcome> {
  const values: Record<string, unknown> = {};
  const toRead: [string, NonNullable<FactRequests[string]>][] = [];
  for (const [name, fact] of Object.entries(requests)) {
    if (fact === undefined) {
      values[name] = undefined;
      continue;
    }
    const predicted = fact.subject === undefined ? undefined : source.predictions?.lookup(fact.subject);
    if (predicted === undefined) {
      toRead.push([name, fact]);
      continue;
    }
    const value = fact.predict?.(predicted.after);
    if (value === undefined) return { kind: "unknown", why: `an earlier task would change ${fact.subject ?? name}` };
    values[name] = value;
  }
  // Facts that share a command (a snapshot, one dpkg-query for many packages) send it once and
  // share the one result object, which their parsers may parse once (support/parse-once.ts).
  const keys = toRead.map(([, fact]) => probeKey(fact, source.become, source.login));
  const distinct = [...new Map(toRead.map(([, fact], index) => [keys[index] as string, fact])).entries()];
  const results = await readProbes(distinct.map(([, fact]) => fact), source);
  const byKey = new Map(distinct.map(([key], index) => [key, results[index]]));
  for (const [index, [name, fact]] of toRead.entries()) {
    const result = byKey.get(keys[index] as string) ?? { rc: -1, stdout: "", stderr: "no result" };
    try {
      values[name] = fact.parse(result);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { kind: "failed", failure: { fact: name, message, rc: result.rc, stderr: result.stderr } };
    }
  }
  return { kind: "read", values };
}

/** A read is retried this often when steps keep running on the host while it is in flight. */
const MAX_STALE_READS = 5;

/**
 * The probes' results: from the cache when all are there, else from the host together with the
 * prefetch. A read overtaken by a step on the host (its generation moved) is never used.
 */
async function readProbes(probes: readonly Probe[], source: FactSource): Promise<ProbeResult[]> {
  const { cache, transport, become, login } = source;
  if (probes.length === 0) return [];
  if (cache === undefined) return runProbes(transport, probes, become, source.timeoutMs);
  const cached = cache.take(transport.host, probes, become, login);
  if (cached) return cached;
  const all = withPrefetch(probes, source);
  for (let attempt = 1; ; attempt++) {
    const reading = cache.reading(transport.host);
    const results = await runProbes(transport, all, become, source.timeoutMs);
    if (cache.current(reading)) {
      cache.store(reading, all, results, become, login);
      return results.slice(0, probes.length);
    }
    if (attempt === MAX_STALE_READS) throw new Error(`${transport.host} kept changing while its state was read (${attempt} reads)`);
  }
}

function withPrefetch(probes: readonly Probe[], source: FactSource): Probe[] {
  const seen = new Set(probes.map((probe) => probeKey(probe, source.become, source.login)));
  const extra = (source.prefetch?.() ?? []).filter((probe) => {
    const key = probeKey(probe, source.become, source.login);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return [...probes, ...extra];
}
