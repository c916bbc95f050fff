/**
 * The floor of a no-change run: Node starting the CLI, then one connection per host opened in
 * parallel, then one round trip (`true`) on each. A no-change run can do no less: one handshake
 * and one round trip per host, from a process that has to start.
 */
import { resolve } from "node:path";
import { Connections } from "../../src/executor/connections.js";
import { loadInventories } from "../../src/inventory/load.js";
import { measure } from "./measure.js";

export interface Floor {
  readonly hosts: number;
  /** `runbook --version`: Node's start-up and loading the bundle. */
  readonly startSeconds: number;
  readonly connectSeconds: number;
  readonly roundTripSeconds: number;
  /** The three added up: what the table shows beside each row. */
  readonly seconds: number;
}

export async function measureConnections(inventoryFile: string): Promise<{ hosts: number; connectSeconds: number; roundTripSeconds: number }> {
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

export async function measureFloor(repo: string, inventoryFile: string): Promise<Floor> {
  const start = await measure(["node", resolve(repo, "bin/runbook.js"), "--version"]);
  const connections = await measureConnections(inventoryFile);
  return { ...connections, startSeconds: start.seconds, seconds: start.seconds + connections.connectSeconds + connections.roundTripSeconds };
}
