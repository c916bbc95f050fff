/**
 * A probe whose output says the host could not answer (permission denied, a missing tool).
 * That is the task's failure, not a bug: a fact's parser throws it, and the executor fails the
 * task with its message, the exit code and stderr (executor/fact-reader.ts).
 */
import type { ProbeResult } from "../types.js";

export class ProbeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ProbeError";
  }
}

/**
 * The probe's result when the tool answered (exit 0); else a ProbeError in the words every
 * module uses: "<tool> failed: <its stderr, or the exit code when it said nothing>".
 */
export function requireOk(result: ProbeResult | undefined, tool: string): ProbeResult {
  if (result === undefined) throw new ProbeError(`${tool} failed: no probe result`);
  if (result.rc !== 0) throw new ProbeError(`${tool} failed: ${result.stderr.trim() || `exit ${result.rc}`}`);
  return result;
}
