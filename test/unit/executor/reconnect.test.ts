/** The reconnect step's wait (executor/reconnect.ts) over scripted transports and a clock that does not wait. */
import { describe, expect, it } from "vitest";
import { reconnect, type Clock, type HostLink } from "../../../src/executor/reconnect.js";
import type { ReconnectStep } from "../../../src/modules/types.js";
import { LocalTransport } from "../../../src/transport/local.js";
import { UnreachableError, type CommandResult, type Transport } from "../../../src/transport/types.js";

type Answer = CommandResult | Error;

/** A transport that answers each command from a script, keeping what it was asked. */
class ScriptedTransport implements Transport {
  readonly asked: string[] = [];
  constructor(
    readonly host: string,
    private readonly answer: (command: string) => Answer,
  ) {}
  async connect(): Promise<void> {}
  async close(): Promise<void> {}
  async put(): Promise<void> {}
  async run(argv: readonly string[]): Promise<CommandResult> {
    const command = argv.join(" ");
    this.asked.push(command);
    const answer = this.answer(command);
    if (answer instanceof Error) throw answer;
    return answer;
  }
}

const done = (stdout = ""): CommandResult => ({ rc: 0, stdout, stderr: "" });
const dropped = (): UnreachableError => new UnreachableError("h1", "closed", "h1: the connection was closed");
const refused = (): UnreachableError => new UnreachableError("h1", "refused", "h1: connection refused");

/** A host link over `first` whose renewals hand out `next` in turn (the last one again when they run out). */
function scriptedLink(first: Transport, next: readonly Transport[]): HostLink & { renewals: (number | undefined)[] } {
  const renewals: (number | undefined)[] = [];
  let current = first;
  return {
    renewals,
    current: () => current,
    renew: (connectTimeoutSeconds) => {
      renewals.push(connectTimeoutSeconds);
      current = next[Math.min(renewals.length, next.length) - 1] ?? current;
      return current;
    },
  };
}

function fakeClock(): Clock & { pauses: number[] } {
  let now = 1_000_000;
  const pauses: number[] = [];
  return {
    pauses,
    now: () => now,
    sleep: async (ms) => {
      pauses.push(ms);
      now += ms;
    },
  };
}

const rebootStep: ReconnectStep = {
  kind: "reconnect",
  describe: "reboot",
  trigger: ["/sbin/shutdown", "-r", "0", "bye"],
  delaySeconds: 0,
  timeoutSeconds: 600,
  connectTimeoutSeconds: 7,
  bootChange: { argv: ["cat", "boot_id"], before: "boot-1", what: "last boot time check" },
  test: { argv: ["whoami"], what: "post-reboot test command" },
  pause: "backoff",
  renewEachTry: false,
  triggeredKey: "rebooted",
};

const noJitter = { random: () => 0 };

describe("reconnect: reboot", () => {
  it("takes a connection lost under the reboot command as its success, then renews until the boot id changes and the test passes", async () => {
    const clock = fakeClock();
    const old = new ScriptedTransport("h1", () => dropped());
    const down = new ScriptedTransport("h1", () => refused());
    const back = new ScriptedTransport("h1", (command) => done(command === "cat boot_id" ? "boot-2\n" : "root\n"));
    const link = scriptedLink(old, [down, back]);
    const outcome = await reconnect(link, rebootStep, { clock, ...noJitter });
    expect(outcome).toMatchObject({ ok: true, data: { rebooted: true, elapsed: 3 } });
    expect(outcome.transport).toBe(back);
    expect(old.asked).toEqual(["/sbin/shutdown -r 0 bye", "cat boot_id"]);
    expect(back.asked).toEqual(["cat boot_id", "whoami"]);
    // a new connection only once the one in hand was lost, each with reboot's connect_timeout
    expect(link.renewals).toEqual([7, 7]);
    expect(clock.pauses).toEqual([0, 1000, 2000]);
  });

  it("waits on the old connection while it still answers with the old boot id (the host is going down)", async () => {
    const clock = fakeClock();
    let tries = 0;
    const old = new ScriptedTransport("h1", (command) => (command.startsWith("/sbin") ? done() : ++tries < 3 ? done("boot-1\n") : dropped()));
    const back = new ScriptedTransport("h1", () => done("boot-2\n"));
    const link = scriptedLink(old, [back]);
    const outcome = await reconnect(link, { ...rebootStep, delaySeconds: 5 }, { clock, ...noJitter });
    expect(outcome.ok).toBe(true);
    expect(link.renewals).toHaveLength(1);
    // post_reboot_delay first, then the backoff of Ansible's reboot: 1, 2, 4 s
    expect(clock.pauses).toEqual([5000, 1000, 2000, 4000]);
  });

  it("backs off as Ansible does: 1, 2, 4, 8, then 12 s, each plus up to 1 s", async () => {
    const clock = fakeClock();
    const same = new ScriptedTransport("h1", () => done("boot-1\n"));
    const outcome = await reconnect(scriptedLink(same, []), { ...rebootStep, timeoutSeconds: 60 }, { clock, random: () => 0.5 });
    expect(outcome.ok).toBe(false);
    expect(clock.pauses.slice(1, 7)).toEqual([1500, 2500, 4500, 8500, 12500, 12500]);
    expect(outcome.error).toMatch(/^Timed out waiting for last boot time check \(timeout=60\): boot time has not changed/);
    expect(outcome.data).toMatchObject({ rebooted: true });
  });

  it("fails without waiting when the reboot command fails; rebooted is false", async () => {
    const clock = fakeClock();
    const host = new ScriptedTransport("h1", () => ({ rc: 1, stdout: "", stderr: "Failed to talk to init daemon" }));
    const outcome = await reconnect(scriptedLink(host, []), rebootStep, { clock });
    expect(outcome).toMatchObject({ ok: false, error: "Reboot command failed. Error was: ', Failed to talk to init daemon'", data: { rebooted: false, elapsed: 0 } });
    expect(host.asked).toHaveLength(1);
  });

  it("tries the test command again until it succeeds, and times out on it like on the boot id", async () => {
    const clock = fakeClock();
    let tests = 0;
    const host = new ScriptedTransport("h1", (command) => (command.startsWith("/sbin") ? dropped() : command === "cat boot_id" ? done("boot-2") : ++tests < 3 ? { rc: 1, stdout: "", stderr: "not yet" } : done("root")));
    const back = scriptedLink(host, [host]);
    expect((await reconnect(back, rebootStep, { clock, ...noJitter })).ok).toBe(true);
    expect(tests).toBe(3);
    const never = new ScriptedTransport("h1", (command) => (command === "cat boot_id" ? done("boot-2") : { rc: 1, stdout: "", stderr: "not yet" }));
    const outcome = await reconnect(scriptedLink(never, []), { ...rebootStep, trigger: undefined, timeoutSeconds: 20 }, { clock, ...noJitter });
    expect(outcome.error).toMatch(/^Timed out waiting for post-reboot test command \(timeout=20\): Test command failed: not yet/);
  });

  it("refuses to reboot over a local connection (the controller itself)", async () => {
    const outcome = await reconnect(scriptedLink(new LocalTransport("localhost"), []), rebootStep, { clock: fakeClock() });
    expect(outcome).toMatchObject({ ok: false, data: { rebooted: false } });
    expect(outcome.error).toMatch(/local connection would reboot the control node/);
  });

  it("lets an error other than a lost connection through", async () => {
    const host = new ScriptedTransport("h1", (command) => (command.startsWith("/sbin") ? done() : new Error("command line too long")));
    await expect(reconnect(scriptedLink(host, []), rebootStep, { clock: fakeClock() })).rejects.toThrow("command line too long");
  });
});

describe("reconnect: wait_for_connection", () => {
  const waitStep: ReconnectStep = {
    kind: "reconnect",
    describe: "wait",
    delaySeconds: 3,
    timeoutSeconds: 30,
    connectTimeoutSeconds: 5,
    test: { argv: ["true"], what: "ping module test" },
    pause: { seconds: 2 },
    renewEachTry: true,
  };

  it("makes a new connection for every try, `sleep` apart, after `delay`", async () => {
    const clock = fakeClock();
    const old = new ScriptedTransport("h1", () => dropped());
    const down = new ScriptedTransport("h1", () => refused());
    const back = new ScriptedTransport("h1", () => done());
    const link = scriptedLink(old, [down, back]);
    const outcome = await reconnect(link, waitStep, { clock });
    expect(outcome).toMatchObject({ ok: true, data: { elapsed: 5 } });
    expect(outcome.data).not.toHaveProperty("rebooted");
    expect(old.asked).toEqual([]);
    expect(link.renewals).toEqual([5, 5]);
    expect(clock.pauses).toEqual([3000, 2000]);
  });

  it("fails after `timeout` with the last error", async () => {
    const clock = fakeClock();
    const outcome = await reconnect(scriptedLink(new ScriptedTransport("h1", () => refused()), []), waitStep, { clock });
    expect(outcome.ok).toBe(false);
    expect(outcome.error).toMatch(/^Timed out waiting for ping module test \(timeout=30\): h1: connection refused/);
  });
});
