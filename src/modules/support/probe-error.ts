/**
 * A probe whose output says the host could not answer (permission denied, a missing tool).
 * That is the task's failure, not a bug: planners turn it into `failed` with `planOrFail`.
 */
import type { Plan } from "../types.js";

export class ProbeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ProbeError";
  }
}

/** Runs a planner; a ProbeError becomes a failed plan, any other error is a bug and propagates. */
export function planOrFail(planner: () => Plan): Plan {
  try {
    return planner();
  } catch (error) {
    if (error instanceof ProbeError) return { steps: [], failed: error.message };
    throw error;
  }
}
