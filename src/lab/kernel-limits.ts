/**
 * Machine-wide kernel limits a large lab outgrows. Each host adds two neighbour (ARP) entries
 * to the kernel's one IPv4 neighbour table, which all network namespaces share and whose
 * thresholds only the initial namespace sets: the machine's entry for the host on the bridge,
 * and the host's entry for the machine. The defaults (gc_thresh1/2/3 = 128/512/1024) start
 * evicting entries at a few hundred hosts and refuse new ones ("neighbour table overflow") near
 * 500, so SSH to the last hosts stalls on ARP. The lab raises them, never lowers them (another
 * lab, or the machine itself, may need what is set), and leaves them raised on `lab down`:
 * they are limits, not objects, and cost nothing while unused.
 *
 * Checked and not needing a change at 1,000 light hosts: sshd's MaxStartups (each host has its
 * own sshd, and a run opens one connection per host); inotify (light hosts run no systemd);
 * the controller's open files (Node raises its soft RLIMIT_NOFILE to the hard limit at start).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { RunbookError } from "../errors.js";

const NEIGH = "/proc/sys/net/ipv4/neigh/default";
/** Entries the machine keeps for itself beside the lab's: the kernel's default floor. */
const HEADROOM = 128;

export interface NeighbourThresholds {
  readonly gc_thresh1: number;
  readonly gc_thresh2: number;
  readonly gc_thresh3: number;
}

/** What `hosts` lab hosts need: no eviction below thresh1, soft and hard limits well above it. */
export function neighbourThresholdsFor(hosts: number): NeighbourThresholds {
  const entries = 2 * hosts + HEADROOM;
  return { gc_thresh1: entries, gc_thresh2: 2 * entries, gc_thresh3: 4 * entries };
}

/**
 * Raises each threshold that is below what the lab needs; returns the ones it changed. Where
 * /proc/sys is read-only (some containers), a lab the current limits hold anyway goes on; one
 * whose entries the hard limit would refuse stops with the command to run.
 */
export function raiseNeighbourThresholds(hosts: number, dir = NEIGH, write = writeFileSync): Partial<NeighbourThresholds> {
  const wanted = neighbourThresholdsFor(hosts);
  const raised: Partial<Record<keyof NeighbourThresholds, number>> = {};
  // thresh3 first: the kernel keeps thresh1 <= thresh2 <= thresh3 only by convention, but
  // raising from the top never passes through an inverted state
  for (const key of ["gc_thresh3", "gc_thresh2", "gc_thresh1"] as const) {
    const file = `${dir}/${key}`;
    const current = Number(readFileSync(file, "utf8").trim());
    if (Number.isFinite(current) && current >= wanted[key]) continue;
    try {
      write(file, `${wanted[key]}\n`);
      raised[key] = wanted[key];
    } catch (error) {
      if (key === "gc_thresh3" && current < wanted.gc_thresh1) {
        throw new RunbookError("runtime", `cannot raise net.ipv4.neigh.default.gc_thresh3 (${current}) for ${hosts} lab hosts`, {
          hint: `run \`sysctl -w net.ipv4.neigh.default.gc_thresh3=${wanted.gc_thresh3}\` on the machine, or use fewer hosts`,
          cause: error,
        });
      }
    }
  }
  return raised;
}
