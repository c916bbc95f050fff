/** Lab hosts for the bench, through the CLI (`runbook lab up/down`), one lab per host count. */
import { join, resolve } from "node:path";
import { spawnCollect } from "./measure.js";

export interface BenchLab {
  readonly name: string;
  readonly inventory: string;
}

/** Brings up N fresh light hosts: the lab is taken down first, so nothing is left from a run before. */
export async function freshLab(repo: string, prefix: string, hosts: number, subnet?: string): Promise<BenchLab> {
  const name = `${prefix}${hosts}`;
  await labDown(repo, name);
  const argv = ["node", resolve(repo, "bin/runbook.js"), "lab", "up", "--name", name, "--hosts", String(hosts), ...(subnet === undefined ? [] : ["--subnet", subnet])];
  // No retry: the veth that "vanished under `ip link set`" belonged to a host whose init had
  // exited (sshd refused its host key; see src/lab/openssh-key.ts).
  const up = await spawnCollect(argv);
  if (up.rc !== 0) throw new Error(`lab up ${name} failed:\n${up.output.slice(-2000)}`);
  return { name, inventory: join(repo, ".runbook", "lab", name, "inventory.yaml") };
}

export async function labDown(repo: string, name: string): Promise<void> {
  const down = await spawnCollect(["node", resolve(repo, "bin/runbook.js"), "lab", "down", "--name", name]);
  if (down.rc !== 0) throw new Error(`lab down ${name} failed:\n${down.output.slice(-2000)}`);
}
