/** `runbook lab ...` through the real CLI entry point: output, exit codes, pass-through commands. */
import { afterAll, describe, expect, it, vi } from "vitest";
import { main } from "../../src/cli/main.js";
import { labDown, labUnavailableReason } from "../../src/lab/index.js";
import { testLabName } from "./lab-helpers.js";

const LAB = testLabName("cli");

async function cli(...argv: string[]): Promise<{ code: number; out: string }> {
  const chunks: string[] = [];
  const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  });
  try {
    return { code: await main(argv), out: chunks.join("") };
  } finally {
    spy.mockRestore();
  }
}

describe.skipIf(labUnavailableReason() !== undefined)("runbook lab CLI", () => {
  afterAll(() => labDown(LAB));

  it("brings a lab up and shows its status", async () => {
    const up = await cli("lab", "up", "--name", LAB, "--hosts", "2");
    expect(up.code).toBe(0);
    expect(up.out).toMatch(new RegExp(`^lab ${LAB} up: 2 hosts in `));
    const status = await cli("lab", "status", "--name", LAB);
    expect(status.out.split("\n").slice(1, 4).map((line) => line.split(/\s+/)[0])).toEqual(["HOST", "h1", "h2"]);
    expect(status.out).not.toContain("down");
  });

  it("passes exec's and ssh's exit status and options through", async () => {
    expect((await cli("lab", "exec", "--name", LAB, "h1", "--", "exit 7")).code).toBe(7);
    expect((await cli("lab", "exec", "--name", LAB, "h1", "--", "test", "-e", "/proc/1")).code).toBe(0);
    expect((await cli("lab", "ssh", "--name", LAB, "h2", "--", "true")).code).toBe(0);
  });

  it("runs the command through the host's shell, as ssh does", async () => {
    // the shell expands $(hostname) and runs both commands of a list
    expect((await cli("lab", "ssh", "--name", LAB, "h2", "--", "test", "$(hostname)", "=", "h2")).code).toBe(0);
    expect((await cli("lab", "ssh", "--name", LAB, "h2", "--", "true; test $(hostname) = h2 && exit 3")).code).toBe(3);
    expect((await cli("lab", "exec", "--name", LAB, "h1", "--", "true; test $(hostname) = h1 && exit 4")).code).toBe(4);
  });

  it("fails with exit 5 for an unknown host", async () => {
    expect((await cli("lab", "exec", "--name", LAB, "h9", "--", "true")).code).toBe(5);
  });

  it("brings the lab down", async () => {
    const down = await cli("lab", "down", "--name", LAB);
    expect(down).toEqual({ code: 0, out: `lab ${LAB} down\n` });
  });
});
