/**
 * Issue 11's playbook (file absent, file directory, lineinfile over one/two/three with create)
 * on 20 fresh light lab hosts, several times in a row: every run exits 0 with the expected
 * results on every host (first run: absent ok, the rest changed; later runs: all changed, each
 * item changed) and leaves the three lines. CI runs it 5 times (RUNBOOK_ISSUE11_RUNS to change);
 * `npm run soak` runs it 20 times. Brings up its own lab and takes it down afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { labDown, labUnavailableReason } from "../../src/lab/index.js";
import type { StressLab } from "../stress/differential.js";
import { issue11Run, writeIssue11Playbook } from "../stress/issue11.js";
import { freshStressLab } from "../stress/lab.js";
import { testLabName } from "./lab-helpers.js";

const LAB = testLabName("iss11");
const HOSTS = 20;
const RUNS = Number(process.env["RUNBOOK_ISSUE11_RUNS"] ?? 5);

describe.skipIf(labUnavailableReason() !== undefined)(`issue 11's playbook on ${HOSTS} fresh hosts`, () => {
  let lab: StressLab;
  beforeAll(async () => {
    lab = await freshStressLab(LAB, HOSTS);
  }, 600_000);
  afterAll(() => labDown(LAB), 300_000);

  it(`passes ${RUNS} times in a row`, async () => {
    const playbook = writeIssue11Playbook();
    for (let run = 1; run <= RUNS; run++) {
      expect(await issue11Run(lab, playbook, run), `run ${run}`).toEqual([]);
    }
  }, 900_000);
});
