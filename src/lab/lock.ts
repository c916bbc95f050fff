/**
 * A lock directory (mkdir is atomic) owned by a process: waits while a live process holds it,
 * breaks the lock of a dead one. Serialises rootfs builds and concurrent `lab up`/`lab down`.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { RunbookError } from "../errors.js";
import { isAlive, processRef, sleep } from "./process.js";
import type { ProcessRef } from "./state.js";

function owner(lockDir: string): ProcessRef | undefined {
  try {
    return JSON.parse(readFileSync(join(lockDir, "owner"), "utf8")) as ProcessRef;
  } catch {
    return undefined; // being written (or the holder died in between: broken by the timeout below)
  }
}

/** Takes the lock and returns its release function. */
export async function acquireLock(lockDir: string, what: string, timeoutMs: number): Promise<() => void> {
  const deadline = Date.now() + timeoutMs;
  let ownerless = 0;
  mkdirSync(dirname(lockDir), { recursive: true });
  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(join(lockDir, "owner"), JSON.stringify(processRef(process.pid)));
      return () => rmSync(lockDir, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const holder = owner(lockDir);
    ownerless = holder ? 0 : ownerless + 1;
    // a dead holder, or one that never wrote its name within ~2 s
    if ((holder && !isAlive(holder)) || ownerless > 10) rmSync(lockDir, { recursive: true, force: true });
    if (Date.now() > deadline) {
      throw new RunbookError("runtime", `timed out waiting for ${what} (lock ${lockDir})`, {
        hint: holder ? `process ${holder.pid} holds it` : "remove the lock directory if nothing is running",
      });
    }
    await sleep(200);
  }
}
