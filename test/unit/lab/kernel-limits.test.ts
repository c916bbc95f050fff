import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { neighbourThresholdsFor, raiseNeighbourThresholds } from "../../../src/lab/kernel-limits.js";

function fakeNeigh(values: [number, number, number]): string {
  const dir = mkdtempSync(join(tmpdir(), "neigh-"));
  values.forEach((value, i) => writeFileSync(join(dir, `gc_thresh${i + 1}`), `${value}\n`));
  return dir;
}

const read = (dir: string): number[] => [1, 2, 3].map((i) => Number(readFileSync(join(dir, `gc_thresh${i}`), "utf8")));

describe("neighbour table thresholds", () => {
  it("counts two entries per host (the machine's and the host's) above the default floor", () => {
    expect(neighbourThresholdsFor(1000)).toEqual({ gc_thresh1: 2128, gc_thresh2: 4256, gc_thresh3: 8512 });
  });

  it("raises the kernel defaults for 1,000 hosts", () => {
    const dir = fakeNeigh([128, 512, 1024]);
    expect(raiseNeighbourThresholds(1000, dir)).toEqual({ gc_thresh1: 2128, gc_thresh2: 4256, gc_thresh3: 8512 });
    expect(read(dir)).toEqual([2128, 4256, 8512]);
  });

  it("never lowers what is set higher already", () => {
    const dir = fakeNeigh([4096, 512, 100000]);
    expect(raiseNeighbourThresholds(1000, dir)).toEqual({ gc_thresh2: 4256 });
    expect(read(dir)).toEqual([4096, 4256, 100000]);
  });
});

describe("neighbour thresholds where /proc/sys is read-only", () => {
  const readOnly = (): never => {
    throw Object.assign(new Error("EROFS: read-only file system"), { code: "EROFS" });
  };

  it("goes on when the current limits hold the lab", () => {
    expect(raiseNeighbourThresholds(3, fakeNeigh([128, 512, 1024]), readOnly)).toEqual({});
  });

  it("stops, saying what to run, when the hard limit would refuse the lab's entries", () => {
    expect(() => raiseNeighbourThresholds(1000, fakeNeigh([128, 512, 1024]), readOnly)).toThrow(/cannot raise .*gc_thresh3 \(1024\) for 1000 lab hosts/);
  });
});
