/**
 * The floor of a no-change run: open one connection per host in parallel, then one round trip
 * (`true`) on each. `vite-node bench/floor.ts INVENTORY` prints both times. runbook's no-change
 * run is compared with this (one handshake + one round trip per host per play).
 */
import { Connections } from "../src/executor/connections.js";
import { loadInventories } from "../src/inventory/load.js";

export async function measureFloor(inventoryFile: string): Promise<{ hosts: number; connectSeconds: number; roundTripSeconds: number }> {
  const inventory = loadInventories([inventoryFile]);
  const connections = new Connections(inventory);
  const hosts = [...inventory.hosts.keys()];
  const started = process.hrtime.bigint();
  await Promise.all(hosts.map((host) => connections.get(host).connect()));
  const connected = process.hrtime.bigint();
  await Promise.all(hosts.map((host) => connections.get(host).run(["true"])));
  const done = process.hrtime.bigint();
  await connections.closeAll();
  return { hosts: hosts.length, connectSeconds: Number(connected - started) / 1e9, roundTripSeconds: Number(done - connected) / 1e9 };
}

const [file] = process.argv.slice(2).filter((arg) => arg !== "--");
if (file) {
  const floor = await measureFloor(file);
  process.stdout.write(`${floor.hosts} hosts: connect ${floor.connectSeconds.toFixed(2)} s, one round trip ${floor.roundTripSeconds.toFixed(2)} s\n`);
}
