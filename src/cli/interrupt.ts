/** Ctrl-C during a run: the first SIGINT stops new tasks (the run ends with exit 99); a second one exits at once. */
import { ExitCode } from "../errors.js";

/** Installs the handler; returns the function that removes it. */
export function handleInterrupts(abort: AbortController): () => void {
  let interrupts = 0;
  const onInterrupt = (): void => {
    interrupts += 1;
    if (interrupts > 1) process.exit(ExitCode.interrupted);
    process.stderr.write("\n[interrupted]: finishing the tasks under way; press Ctrl-C again to quit at once\n");
    abort.abort();
  };
  process.on("SIGINT", onInterrupt);
  return () => process.off("SIGINT", onInterrupt);
}
