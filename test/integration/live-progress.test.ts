/**
 * The live view on a real terminal: the CLI runs in a tmux pane against hosts with a local
 * connection; the screen is captured while it runs and after. It must show the play, task and
 * progress bar in place, and leave behind only what matters (the debug output, the failure,
 * the recap), not a line per host per task.
 */
import { execFileSync } from "node:child_process";
import { resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../..");
const socket = `ux-live-${process.pid}`;
const hasTmux = (() => {
  try {
    execFileSync("tmux", ["-V"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

function tmux(...args: string[]): string {
  return execFileSync("tmux", ["-L", socket, ...args], { encoding: "utf8" });
}

const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

describe.skipIf(!hasTmux)("live progress view in a terminal (needs tmux: scripts/install-deps.sh)", () => {
  afterAll(() => {
    try {
      tmux("kill-server");
    } catch {
      // the server is already gone
    }
  });

  it("redraws the bar in place and prints only failures, messages and the recap", async () => {
    const command = "node bin/runbook.js test/fixtures/report/slow.yaml -i test/fixtures/report/hosts.yaml; echo RUNBOOK-EXIT=$?; sleep 600";
    tmux("new-session", "-d", "-s", "live", "-x", "100", "-y", "30", "-c", root, "sh", "-c", command);
    const frames: string[] = [];
    const deadline = Date.now() + 90_000;
    let screen = "";
    while (!screen.includes("RUNBOOK-EXIT=") && Date.now() < deadline) {
      screen = tmux("capture-pane", "-p", "-t", "live");
      frames.push(screen);
      await sleep(150);
    }
    expect(screen).toContain("RUNBOOK-EXIT=2");

    // While running: play and task on one line, the bar with hosts done and counts below it.
    const live = frames.filter((frame) => /\[[#-]{30}\] \d\/\d hosts {3}ok=\d+ changed=\d+ failed=\d+/.test(frame));
    expect(live.length).toBeGreaterThan(0);
    expect(live.some((frame) => frame.includes("PLAY Slow steps  ›  TASK Think a little"))).toBe(true);
    expect(frames.some((frame) => /running: local\d \d+\.\ds/.test(frame))).toBe(true);
    // In place: never more than one bar on the screen at a time.
    for (const frame of frames) expect(frame.match(/\] \d\/\d hosts/g)?.length ?? 0).toBeLessThanOrEqual(1);

    // After: the scrollback holds the notable lines and the recap, and no bar.
    const history = tmux("capture-pane", "-p", "-S", "-", "-t", "live");
    expect(history).toContain("hello from local1");
    expect(history).toContain("fatal: [local6]: FAILED! => command failed (rc=1): false");
    expect(history).toMatch(/local6 :\s+ok=2\s+changed=1\s+unreachable=0\s+failed=1/);
    expect(history).not.toContain("changed: [local1]"); // "Think a little": nothing to say
    expect(history).not.toContain("skipping:");
    expect(history).not.toMatch(/\] \d\/\d hosts/);
    const lines = history.split("\n").filter((line) => line.trim() !== "");
    // a plain run prints 45 lines here; the live view about half
    expect(lines.length).toBeLessThan(35);
  });
});
