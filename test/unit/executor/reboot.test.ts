/**
 * reboot and wait_for_connection through the executor, on simulated hosts: each command runs in
 * the controller's own shell, except the reboot command (a new boot id, and the connection
 * drops) and `echo simulated-drop` (the connection drops). Real hosts: test/integration/reboot.test.ts.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { withExitCode } from "../../../src/cli/exit-codes.js";
import type { RunEvent, TaskResult } from "../../../src/executor/events.js";
import { defaultExecutorOptions } from "../../../src/executor/options.js";
import { runPlaybook } from "../../../src/executor/run.js";
import { loadInventories } from "../../../src/inventory/load.js";
import { moduleCatalog } from "../../../src/modules/registry.js";
import { loadPlaybook } from "../../../src/playbook/load.js";
import { LocalTransport } from "../../../src/transport/local.js";
import { UnreachableError, type CommandResult, type PutOptions, type RunOptions, type Transport } from "../../../src/transport/types.js";
import { fixtures } from "./helpers.js";

/** Hosts whose connections the test can drop, and how many connections each was given. */
class SimulatedHosts {
  readonly made = new Map<string, number>();
  /** Commands that reached each host. */
  readonly ran = new Map<string, number>();
  constructor(readonly root: string) {}

  transport(host: string): Transport {
    this.made.set(host, (this.made.get(host) ?? 0) + 1);
    return new SimulatedTransport(host, this);
  }

  bootId(host: string): string {
    return readFileSync(join(this.root, `${host}.boot_id`), "utf8").trim();
  }

  reboot(host: string): void {
    writeFileSync(join(this.root, `${host}.boot_id`), `${this.bootId(host)}+\n`);
  }
}

class SimulatedTransport implements Transport {
  private readonly shell: LocalTransport;
  private lost = false;

  constructor(
    readonly host: string,
    private readonly hosts: SimulatedHosts,
  ) {
    this.shell = new LocalTransport(host);
  }

  async connect(): Promise<void> {}
  async close(): Promise<void> {}

  async run(argv: readonly string[], options?: RunOptions): Promise<CommandResult> {
    if (this.lost) throw new UnreachableError(this.host, "closed", `${this.host}: the connection was closed`);
    this.hosts.ran.set(this.host, (this.hosts.ran.get(this.host) ?? 0) + 1);
    const command = argv.join(" ");
    if (command.includes("/simulated-reboot")) this.hosts.reboot(this.host);
    if (command.includes("/simulated-reboot") || command.includes("simulated-drop")) {
      this.lost = true;
      throw new UnreachableError(this.host, "closed", `${this.host}: the connection was closed`);
    }
    return this.shell.run(argv, options);
  }

  async put(path: string, content: Buffer, options?: PutOptions): Promise<void> {
    if (this.lost) throw new UnreachableError(this.host, "closed", `${this.host}: the connection was closed`);
    await this.shell.put(path, content, options);
  }
}

async function run(playbook: string, options: { check?: boolean } = {}) {
  const root = mkdtempSync(join(tmpdir(), "runbook-reboot-"));
  for (const host of ["h1", "h2", "h3"]) writeFileSync(join(root, `${host}.boot_id`), `${host}-boot\n`);
  const hosts = new SimulatedHosts(root);
  const events: RunEvent[] = [];
  const summary = withExitCode(
    await runPlaybook({
      playbook: loadPlaybook(join(fixtures, playbook), { catalog: moduleCatalog }),
      inventory: loadInventories([join(fixtures, "inventory.ini")]),
      // the fixture inventory's hosts are local; these are simulated remote ones (reboot refuses a local connection)
      options: { ...defaultExecutorOptions, check: options.check ?? false, extraVars: { root, ansible_connection: "ssh" } },
      listeners: [(event) => events.push(event)],
      transports: (host) => hosts.transport(host),
    }),
  );
  const result = (task: string, host: string): TaskResult | undefined =>
    events.flatMap((event) => (event.type === "task-result" && event.task.name === task && event.result.host === host ? [event.result] : []))[0];
  return { summary, hosts, result };
}

describe("reboot through the executor", () => {
  it("reboots, reconnects, and the tasks after it run over the new connection and see the new boot", { timeout: 30_000 }, async () => {
    const { summary, hosts, result } = await run("reboot.yaml");
    expect(summary.exitCode).toBe(0);
    for (const host of ["h1", "h2"]) {
      expect(result("reboot", host)?.status).toBe("changed");
      expect(result("after", host)?.stdout?.trim()).toBe(`${host}-boot+`);
      expect(result("again", host)?.stdout?.trim()).toBe("True True True");
      // the first connection died with the reboot; one new one carried the rest of the run
      expect(hosts.made.get(host)).toBe(2);
    }
  });

  it("check mode reports the reboot as a change and runs nothing on the host", async () => {
    const { summary, hosts, result } = await run("reboot.yaml", { check: true });
    expect(summary.exitCode).toBe(0);
    expect(result("reboot", "h1")?.status).toBe("changed");
    expect(hosts.bootId("h1")).toBe("h1-boot");
    expect(hosts.ran.get("h1")).toBeUndefined();
  });
});

describe("a connection lost without a reboot", () => {
  it("leaves the host unreachable for the rest of the run (exit 3): nothing reconnects by itself", async () => {
    const { summary, hosts, result } = await run("connection-drop.yaml");
    expect(summary.exitCode).toBe(3);
    expect(result("lose the connection", "h1")?.status).toBe("unreachable");
    expect(result("after", "h1")).toBeUndefined();
    expect(hosts.made.get("h1")).toBe(1);
  });

  it("wait_for_connection makes a new connection, and the play goes on over it", async () => {
    const { summary, hosts, result } = await run("connection-drop-wait.yaml");
    expect(result("wait", "h1")?.status).toBe("ok");
    expect(result("after", "h1")?.status).toBe("changed");
    expect(hosts.made.get("h1")).toBe(2);
    expect(summary.stats.get("h1")).toMatchObject({ unreachable: 0, ignored: 1 });
  });
});
