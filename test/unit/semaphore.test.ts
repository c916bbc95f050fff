import { describe, expect, it } from "vitest";
import { Semaphore } from "../../src/transport/semaphore.js";

describe("Semaphore", () => {
  it("never lets more than the limit run at once, and runs everything", async () => {
    const semaphore = new Semaphore(3);
    let active = 0;
    let peak = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const release = await semaphore.acquire();
        active++;
        peak = Math.max(peak, active);
        await new Promise((resolve) => setTimeout(resolve, 1 + (i % 3)));
        order.push(i);
        active--;
        release();
        release(); // a second call is harmless
      }),
    );
    expect(peak).toBe(3);
    expect(order.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it("rejects a limit below one", () => {
    expect(() => new Semaphore(0)).toThrow(/positive integer/);
  });
});
