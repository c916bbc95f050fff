/**
 * `vite-node bench/floor.ts INVENTORY` prints the floor of a no-change run (bench/lib/floor.ts):
 * the CLI's start, connecting to every host, one round trip each. runbook's no-change run is
 * compared with it (one handshake + one round trip per host per play).
 */
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { measureFloor } from "./lib/floor.js";

const [file] = process.argv.slice(2).filter((arg) => arg !== "--");
if (file) {
  const floor = await measureFloor(resolve(dirname(fileURLToPath(import.meta.url)), ".."), file);
  process.stdout.write(
    `${floor.hosts} hosts: start ${floor.startSeconds.toFixed(2)} s, connect ${floor.connectSeconds.toFixed(2)} s, one round trip ${floor.roundTripSeconds.toFixed(2)} s: floor ${floor.seconds.toFixed(2)} s\n`,
  );
}
