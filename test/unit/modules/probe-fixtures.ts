/**
 * Probe output captured from a lab host (Debian 12: Open vSwitch 3.1, iproute2 6.1) with the
 * modules' own probe commands; see test/fixtures/probes/README.md for the states they show.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { ProbeResult } from "../../../src/modules/types.js";
import { ok } from "./helpers.js";

export function capturedProbe(name: string): ProbeResult {
  return ok(readFileSync(join(import.meta.dirname, "../../fixtures/probes", name), "utf8"));
}
