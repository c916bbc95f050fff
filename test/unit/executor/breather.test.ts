import { describe, expect, it } from "vitest";
import { Breather, STRETCH_MS } from "../../../src/executor/breather.js";

/** A breather on a hand-driven clock and loop: `turn()` is the event loop coming round. */
function driven(enabled = true) {
  const clock = { now: 0 };
  const turns: (() => void)[] = [];
  const breather = new Breather(enabled, () => clock.now, (turn) => turns.push(turn));
  return {
    clock,
    breather,
    turn: () => turns.shift()?.(),
    pendingTurns: () => turns.length,
  };
}

describe("the breather (letting the event loop turn in a long stretch)", () => {
  it("lets host-tasks go on while the stretch is short", () => {
    const { breather, clock } = driven();
    expect(breather.pause()).toBeUndefined();
    clock.now = STRETCH_MS - 1;
    expect(breather.pause()).toBeUndefined();
  });

  it("after a long stretch they wait, and go on one per turn of the loop, in order", async () => {
    const { breather, clock, turn, pendingTurns } = driven();
    breather.pause();
    clock.now = STRETCH_MS;
    const went: number[] = [];
    const waits = [0, 1, 2].map((index) => breather.pause()?.then(() => went.push(index)));
    expect(waits.every((wait) => wait !== undefined)).toBe(true);
    turn();
    await Promise.resolve();
    expect(went).toEqual([0]);
    // a new stretch began with the turn: a host-task asking now goes on at once
    expect(breather.pause()).toBeUndefined();
    turn();
    turn();
    await Promise.all(waits);
    expect(went).toEqual([0, 1, 2]);
    expect(pendingTurns()).toBe(0);
  });

  it("RUNBOOK_EVENT_LOOP_YIELD=off never waits", () => {
    const { breather, clock } = driven(false);
    breather.pause();
    clock.now = 10 * STRETCH_MS;
    expect(breather.pause()).toBeUndefined();
  });
});
