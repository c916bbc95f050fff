/**
 * A probe whose output says the host could not answer (permission denied, a missing tool).
 * That is the task's failure, not a bug: planners turn it into `failed` with `planOrFail`.
 */
import type { LegacyPlan, ProbeResult } from "../types.js";

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

/**
 * Runs a planner; a ProbeError becomes a failed plan (with `hint` as its msg, when given), any
 * other error is a bug and propagates.
 */
export function planOrFail(planner: () => LegacyPlan, hint?: string): LegacyPlan {
  try {
    return planner();
  } catch (error) {
    if (!(error instanceof ProbeError)) throw error;
    return hint === undefined ? { steps: [], failed: error.message } : { steps: [], failed: error.message, msg: hint };
  }
}
