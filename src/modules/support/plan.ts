/** Plan constructors, so a planner reads as its verdict: ok(...), change(...), skip(...), fail(...). */
import type { Effect, Plan, Step } from "../types.js";

type Extra<K extends Plan["kind"]> = Omit<Extract<Plan, { kind: K }>, "kind" | "msg" | "steps" | "effects" | "error" | "hint">;

/** Nothing to do; `msg` says why. */
export function ok(msg?: string, extra: Extra<"ok"> = {}): Plan {
  return { kind: "ok", msg, ...extra };
}

/**
 * These steps close the gap. `effects`: what they leave, for check mode's later tasks; leave it
 * undefined only when that cannot be told (then check mode treats what follows as unknown).
 */
export function change(steps: readonly Step[], msg: string | undefined, effects: readonly Effect[] | undefined, extra: Extra<"change"> = {}): Plan {
  return { kind: "change", steps, msg, effects, ...extra };
}

/** The module declines to act (Ansible's `skipped`): `msg` says why. */
export function skip(msg: string, data?: Readonly<Record<string, unknown>>): Plan {
  return { kind: "skip", msg, data };
}

/** The task fails: `error` says why, `hint` what to do about it. */
export function fail(error: string, hint?: string, data?: Readonly<Record<string, unknown>>): Plan {
  return { kind: "fail", error, hint, data };
}
