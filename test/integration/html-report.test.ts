/**
 * The HTML report from a real run (hosts with a local connection), opened in a real headless
 * Chromium: the screenshot must show the page, with the timeline's coloured bars.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { defaultExecutorOptions } from "../../src/executor/options.js";
import { runPlaybook } from "../../src/executor/run.js";
import { runExitCode } from "../../src/cli/exit-codes.js";
import { toReports } from "../../src/cli/reports.js";
import { loadInventories } from "../../src/inventory/load.js";
import { moduleCatalog } from "../../src/modules/registry.js";
import { loadPlaybook } from "../../src/playbook/load.js";
import { htmlReporter } from "../../src/report/html.js";
import { countColour, decodePng } from "./helpers/png.js";

const fixtures = resolve(import.meta.dirname, "../fixtures/report");
const chromium = ["chromium", "chromium-browser"].find((name) => {
  try {
    execFileSync("sh", ["-c", `command -v ${name}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
});

describe.skipIf(chromium === undefined)("HTML report in a headless browser (needs Debian's chromium: scripts/install-deps.sh)", () => {
  const dir = mkdtempSync(join(tmpdir(), "ux-html-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("renders the recap and the coloured timeline", async () => {
    const page = join(dir, "report.html");
    const summary = await runPlaybook({
      playbook: loadPlaybook(join(fixtures, "slow.yaml"), { catalog: moduleCatalog }),
      inventory: loadInventories([join(fixtures, "hosts.yaml")]),
      options: defaultExecutorOptions,
      listeners: [toReports([htmlReporter((html) => writeFileSync(page, html))])],
      connection: {},
    });
    expect(runExitCode(summary)).toBe(2); // local6 fails on purpose
    const html = readFileSync(page, "utf8");
    expect(html).toContain("local6");

    const shot = join(dir, "shot.png");
    execFileSync(
      chromium ?? "chromium",
      [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        `--user-data-dir=${mkdtempSync(join(dir, "profile-"))}`,
        "--window-size=1200,800",
        `--screenshot=${shot}`,
        `file://${page}`,
      ],
      { stdio: "ignore", timeout: 90_000 },
    );
    expect(existsSync(shot)).toBe(true);
    const image = decodePng(readFileSync(shot));
    expect([image.width, image.height]).toEqual([1200, 800]);
    // not blank: the changed (amber) and failed (red) bars are on screen, as is dark text
    expect(countColour(image, [0xf9, 0xa8, 0x25])).toBeGreaterThan(1000);
    expect(countColour(image, [0xc6, 0x28, 0x28])).toBeGreaterThan(10);
    expect(countColour(image, [0x22, 0x22, 0x22], 30)).toBeGreaterThan(200);
  });
});
