// Loaded with `node --import` into a timed runbook (bench/lib/tools.ts): measures the event
// loop's delay for the whole process (perf_hooks.monitorEventLoopDelay, 10 ms resolution) and
// writes p50/p99/max in milliseconds to the file named by RUNBOOK_BENCH_LOOP_DELAY at exit,
// with the largest heap, external and array-buffer sizes seen (sampled every second), in MB:
// what of the peak RSS is JavaScript's heap and what is native (sockets, ciphers, buffers).
// Plain JavaScript, and outside the CLI: it measures any build, the one before a change too.
import { writeFileSync } from "node:fs";
import { monitorEventLoopDelay } from "node:perf_hooks";
import process from "node:process";
import { setInterval } from "node:timers";

const file = process.env.RUNBOOK_BENCH_LOOP_DELAY;
if (file) {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  const memory = { heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0, rss: 0 };
  const sample = () => {
    const now = process.memoryUsage();
    for (const key of Object.keys(memory)) memory[key] = Math.max(memory[key], Math.round(now[key] / 1048576));
  };
  setInterval(sample, 1000).unref();
  process.on("exit", () => {
    histogram.disable();
    sample();
    const ms = (ns) => Math.round(ns / 1e4) / 100;
    writeFileSync(file, JSON.stringify({ p50: ms(histogram.percentile(50)), p99: ms(histogram.percentile(99)), max: ms(histogram.max), samples: histogram.count, peakMb: memory }));
  });
}
