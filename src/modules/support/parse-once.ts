/**
 * Parsing a probe's output once, however many tasks read it. The executor's probe cache hands the
 * SAME ProbeResult object to every task that probed with the same command (all ip_link tasks on a
 * host, all ovs_* tasks), so the parse is remembered per result object. A WeakMap lets it go with
 * the result when the cache drops it after a change. Callers must not mutate what they get back.
 */
import type { ProbeResult } from "../types.js";

/** `parse` applied to a result's stdout, computed once per result object. A parse that throws is not remembered. */
export function parsedOnce<T>(parse: (stdout: string) => T): (result: ProbeResult) => T {
  return resultParsedOnce((result) => parse(result.stdout));
}

/** As parsedOnce, for a parser that reads the exit code or stderr too. */
export function resultParsedOnce<T>(parse: (result: ProbeResult) => T): (result: ProbeResult) => T {
  const parsed = new WeakMap<ProbeResult, { value: T }>();
  return (result) => {
    const known = parsed.get(result);
    if (known !== undefined) return known.value;
    const value = parse(result);
    parsed.set(result, { value });
    return value;
  };
}
