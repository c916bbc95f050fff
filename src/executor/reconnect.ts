/**
 * The one place where the run reconnects to a host: a reconnect step (modules/types.ts
 * ReconnectStep) of reboot or wait_for_connection. Everywhere else a dropped connection leaves
 * the host unreachable (transport/ssh.ts), because a host that vanished mid-task may be in any
 * state; here the task asked for the host to go away, or waits for it, so losing the connection
 * is expected and a new one is made (Connections.replace) until the host answers again.
 *
 * As Ansible's reboot action (plugins/action/reboot.py): the reboot command (a connection lost
 * while it runs is its success), post_reboot_delay, then "last boot time check" until the boot
 * id differs, then "post-reboot test command" until it exits 0, each phase within
 * reboot_timeout, pausing 1, 2, 4, 8, then 12 s (each plus up to 1 s) between failed tries.
 * wait_for_connection: delay, then its test on a new connection each try, `sleep` apart.
 */
import type { ReconnectStep } from "../modules/types.js";
import type { Login } from "./connections.js";
import type { RunContext } from "./context.js";
import { shellJoin } from "../transport/quote.js";
import { LocalTransport } from "../transport/local.js";
import { UnreachableError, type BecomeOptions, type CommandResult, type Transport } from "../transport/types.js";

/** How a reconnect step meets its host: the transport the run holds now, and its replacement. */
export interface HostLink {
  current(): Transport;
  /** A new connection in place of the current one; the host's read-ahead results are forgotten. */
  renew(connectTimeoutSeconds: number | undefined): Transport;
}

/**
 * The run's link to `host`: its connection in Connections, replaced there for every later task,
 * and its read-ahead probe results dropped, since the host they describe is gone.
 */
export function hostLink(ctx: Pick<RunContext, "connections" | "probeCache">, host: string, login?: Login): HostLink {
  return {
    current: () => ctx.connections.get(host, login),
    renew: (connectTimeoutSeconds) => {
      const transport = ctx.connections.replace(host, login, { connectTimeoutSeconds });
      ctx.probeCache.advance(host);
      return transport;
    },
  };
}

/** Time, injectable so that tests need not wait for real pauses. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface ReconnectOptions {
  readonly become?: BecomeOptions | undefined;
  /** Each command's time limit (--timeout, the task's `timeout`), within the step's own. */
  readonly timeoutMs?: number | undefined;
  readonly clock?: Clock | undefined;
  /** 0..1, for the pauses' jitter; Math.random by default. */
  readonly random?: (() => number) | undefined;
}

export interface ReconnectOutcome {
  readonly ok: boolean;
  readonly error?: string | undefined;
  /** The trigger's output when it failed. */
  readonly last?: CommandResult | undefined;
  /** `elapsed` (whole seconds since the trigger, as Ansible counts) and the step's `triggeredKey`. */
  readonly data: Readonly<Record<string, unknown>>;
  /** The transport in hand at the end: the new connection once the host came back. */
  readonly transport: Transport;
}

const MAX_BACKOFF_SECONDS = 12;

export async function reconnect(link: HostLink, step: ReconnectStep, options: ReconnectOptions = {}): Promise<ReconnectOutcome> {
  const clock = options.clock ?? realClock;
  const triggered = (ran: boolean, started: number): Record<string, unknown> => ({
    ...(step.triggeredKey === undefined ? {} : { [step.triggeredKey]: ran }),
    elapsed: Math.floor((clock.now() - started) / 1000),
  });
  const started = clock.now();
  if (step.trigger !== undefined) {
    const transport = link.current();
    if (transport instanceof LocalTransport) {
      return { ok: false, error: `Running ${step.describe} with local connection would reboot the control node.`, data: triggered(false, started), transport };
    }
    const result = await runTrigger(transport, step.trigger, options);
    if (result !== undefined && result.rc !== 0) {
      const error = `Reboot command failed. Error was: '${result.stdout.trim()}, ${result.stderr.trim()}'`;
      return { ok: false, error, last: result, data: triggered(false, started), transport };
    }
  }
  const since = clock.now();
  await clock.sleep(step.delaySeconds * 1000);
  const waiter = new Waiter(link, step, options, clock);
  if (step.bootChange !== undefined) {
    const { argv, before, what } = step.bootChange;
    const error = await waiter.until(what, (result) => {
      if (result.rc !== 0) return `could not read the boot id, rc: ${result.rc}, stdout: ${result.stdout.trim()}, stderr: ${result.stderr.trim()}`;
      const now = result.stdout.trim();
      return now === "" || now === before ? "boot time has not changed" : undefined;
    }, argv);
    if (error !== undefined) return { ok: false, error, data: triggered(true, since), transport: waiter.transport };
  }
  const error = await waiter.until(step.test.what, (result) => (result.rc === 0 ? undefined : `Test command failed: ${result.stderr.trim()} ${result.stdout.trim()}`.trim()), step.test.argv);
  return { ok: error === undefined, error, data: triggered(step.trigger !== undefined, since), transport: waiter.transport };
}

/** The reboot command: undefined when the connection dropped under it (the host went down, as asked). */
async function runTrigger(transport: Transport, argv: readonly string[], options: ReconnectOptions): Promise<CommandResult | undefined> {
  try {
    return await transport.run(argv, { become: options.become, timeoutMs: options.timeoutMs });
  } catch (error) {
    if (error instanceof UnreachableError) return undefined;
    throw error;
  }
}

/** Tries one command until it answers as wanted, over a new connection whenever the last was lost. */
class Waiter {
  transport: Transport;
  /** The connection in hand was lost (or never made): the next try makes a new one. */
  private lost = false;

  constructor(
    private readonly link: HostLink,
    private readonly step: ReconnectStep,
    private readonly options: ReconnectOptions,
    private readonly clock: Clock,
  ) {
    this.transport = link.current();
  }

  /** Undefined once `verdict` accepts a result (it returns why not, else); else the time-out message. */
  async until(what: string, verdict: (result: CommandResult) => string | undefined, argv: readonly string[]): Promise<string | undefined> {
    const { step, clock } = this;
    const deadline = clock.now() + step.timeoutSeconds * 1000;
    let last = "no try finished in time";
    for (let failures = 0; clock.now() < deadline; failures++) {
      if (this.lost || step.renewEachTry) {
        this.transport = this.link.renew(step.connectTimeoutSeconds);
        this.lost = false;
      }
      try {
        const limit = Math.max(1000, deadline - clock.now());
        const result = await this.transport.run(argv, { become: this.options.become, timeoutMs: Math.min(limit, this.options.timeoutMs ?? limit) });
        const why = verdict(result);
        if (why === undefined) return undefined;
        last = why;
      } catch (error) {
        if (!(error instanceof UnreachableError)) throw error;
        this.lost = true;
        last = error.message;
      }
      await clock.sleep(Math.min(this.pauseMs(failures), Math.max(0, deadline - clock.now())));
    }
    return `Timed out waiting for ${what} (timeout=${step.timeoutSeconds}): ${last} (${shellJoin(argv)})`;
  }

  private pauseMs(failures: number): number {
    const { pause } = this.step;
    if (pause !== "backoff") return pause.seconds * 1000;
    const jitter = (this.options.random ?? Math.random)();
    return (Math.min(2 ** failures, MAX_BACKOFF_SECONDS) + jitter) * 1000;
  }
}
