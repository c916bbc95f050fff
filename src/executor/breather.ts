/**
 * Lets the event loop turn when the run has held it for a while. A no-change run finds most
 * answers in the probe cache (read ahead with the first task), so a host's later tasks finish
 * without waiting for anything: at 1,000 hosts a play's tasks would run as one stretch of
 * microtasks, seconds long on a loaded machine, with every socket (ssh2's keepalive answers,
 * commands' output) and the live view's timer waiting behind it.
 *
 * A host-task asks before it starts. Within a stretch shorter than STRETCH_MS it goes on at
 * once; after that it waits, and the waiting ones go on one per turn of the loop, so sockets are
 * read in between. Only the interleaving of hosts changes, never what a host-task does
 * (RUNBOOK_EVENT_LOOP_YIELD=off never waits, to show that it changes nothing but latency).
 */
import { performance } from "node:perf_hooks";

/** How long the run may hold the loop before host-tasks start waiting for a turn. */
export const STRETCH_MS = 20;

export class Breather {
  private stretchStarted = 0;
  /** A turn is scheduled (the loop has not come round since the stretch started). */
  private turnPending = false;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly enabled = true,
    private readonly now: () => number = () => performance.now(),
    private readonly schedule: (turn: () => void) => void = (turn) => void setImmediate(turn),
  ) {}

  /** Undefined: go on now. A promise: the stretch is long, wait for a turn of the loop. */
  pause(): Promise<void> | undefined {
    if (!this.enabled) return undefined;
    if (!this.turnPending) {
      // nothing tells when this stretch began: count from now, and learn when the loop comes round
      this.turnPending = true;
      this.stretchStarted = this.now();
      this.schedule(() => this.turn());
      return undefined;
    }
    if (this.now() - this.stretchStarted < STRETCH_MS) return undefined;
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** The loop came round: a new stretch, in which one waiting host-task goes on. */
  private turn(): void {
    this.stretchStarted = this.now();
    this.waiting.shift()?.();
    if (this.waiting.length > 0) this.schedule(() => this.turn());
    else this.turnPending = false;
  }
}

/** RUNBOOK_EVENT_LOOP_YIELD=off: never wait (see the file comment). */
export function runBreather(): Breather {
  return new Breather(process.env["RUNBOOK_EVENT_LOOP_YIELD"] !== "off");
}
