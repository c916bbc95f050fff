/**
 * etcd_key against a real etcd on this machine (loopback only, a temporary data dir), through
 * LocalTransport: both APIs, JSON compared semantically, the guarded writes, and a race lost to
 * an identical write. Skipped where etcd is not installed.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { etcdKey } from "../../src/modules/etcd-key.js";
import type { Step } from "../../src/modules/types.js";
import { LocalTransport } from "../../src/transport/local.js";
import { applyModule } from "./modules/apply.js";
import { factsOf, fakeContext, planWith, stepsOf } from "./modules/helpers.js";

const hasEtcd = spawnSync("sh", ["-c", "command -v etcd && command -v etcdctl"]).status === 0;
// A loopback address and ports of our own, away from anything a lab or another test uses.
const address = `127.0.${100 + (process.pid % 50)}.${1 + (process.pid % 200)}`;
const endpoint = `http://${address}:23379`;
const transport = new LocalTransport();
const ctx = fakeContext();
let etcd: ChildProcess | undefined;
let dataDir = "";

function etcdctl(api: "2" | "3", ...args: string[]): string {
  const result = spawnSync("etcdctl", [`--endpoints=${endpoint}`, ...args], { env: { ...process.env, ETCDCTL_API: api }, encoding: "utf8" });
  return result.stdout.trim();
}

/** Whether `key` is in etcd; throws when etcdctl cannot tell (so "gone" is never a failed read). */
function keyExists(api: "v2" | "v3", key: string): boolean {
  const env = { ...process.env, ETCDCTL_API: api.slice(1) };
  const result = spawnSync("etcdctl", [`--endpoints=${endpoint}`, "get", key, ...(api === "v3" ? ["-w", "json"] : [])], { env, encoding: "utf8" });
  if (api === "v2" && /Key not found/.test(result.stderr)) return false;
  if (result.status !== 0) throw new Error(`etcdctl get ${key} exited ${result.status}: ${result.stderr}`);
  return api === "v2" || ((JSON.parse(result.stdout) as { count?: number }).count ?? 0) > 0;
}

async function runStep(step: Step | undefined): Promise<{ rc: number; stderr: string }> {
  if (step?.kind !== "run") throw new Error("expected a run step");
  return transport.run(step.argv, { stdin: step.stdin });
}

async function plan(args: Record<string, unknown>): Promise<readonly Step[]> {
  const parsed = etcdKey.schema.parse(args);
  const probes = [];
  for (const fact of factsOf(etcdKey, parsed, ctx)) probes.push(await transport.run(fact.argv));
  return stepsOf(planWith(etcdKey, parsed, { probes }, ctx));
}

describe.skipIf(!hasEtcd)("etcd_key on a real etcd", () => {
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "runbook-etcd-"));
    etcd = spawn("etcd", [
      "--name", "t", "--data-dir", dataDir, "--enable-v2=true",
      "--listen-client-urls", endpoint, "--advertise-client-urls", endpoint,
      "--listen-peer-urls", `http://${address}:23380`, "--initial-advertise-peer-urls", `http://${address}:23380`,
      "--initial-cluster", `t=http://${address}:23380`,
    ], { stdio: "ignore" });
    for (let i = 0; i < 100; i++) {
      if (spawnSync("etcdctl", [`--endpoints=${endpoint}`, "endpoint", "health"], { env: { ...process.env, ETCDCTL_API: "3" } }).status === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error("etcd did not become healthy");
  }, 30_000);

  afterAll(() => {
    etcd?.kill("SIGTERM");
    rmSync(dataDir, { recursive: true, force: true });
  });

  it.each(["v2", "v3"] as const)("%s: creates, then leaves an equal value alone, then updates and deletes", async (api) => {
    const key = `/test-${api}/network/config`;
    const base = { key, api, endpoints: endpoint };
    await applyModule(etcdKey, { ...base, value: { Network: "10.10.0.0/16", Backend: { Type: "udp" } } }, transport, ctx);
    const read = api === "v3" ? etcdctl("3", "get", "--print-value-only", key) : etcdctl("2", "get", key);
    expect(JSON.parse(read)).toEqual({ Network: "10.10.0.0/16", Backend: { Type: "udp" } });
    // the same JSON written by someone else with other spacing and order: nothing to do
    if (api === "v3") etcdctl("3", "put", key, '{ "Backend": {"Type": "udp"}, "Network": "10.10.0.0/16" }');
    else etcdctl("2", "set", key, '{ "Backend": {"Type": "udp"}, "Network": "10.10.0.0/16" }');
    expect((await plan({ ...base, value: { Network: "10.10.0.0/16", Backend: { Type: "udp" } } }))).toEqual([]);
    await applyModule(etcdKey, { ...base, value: 'quote " and back\\slash' }, transport, ctx);
    expect(api === "v3" ? etcdctl("3", "get", "--print-value-only", key) : etcdctl("2", "get", key)).toBe('quote " and back\\slash');
    expect(keyExists(api, key)).toBe(true);
    await applyModule(etcdKey, { ...base, state: "absent" }, transport, ctx);
    expect(keyExists(api, key)).toBe(false);
  });

  it.each(["v2", "v3"] as const)("%s: a write whose key changed since the probe fails, unless the change was the same write", async (api) => {
    const key = `/race-${api}`;
    const base = { key, api, endpoints: endpoint };
    const first = await plan({ ...base, value: "mine" });
    const second = await plan({ ...base, value: "mine" });
    expect((await runStep(first[0])).rc).toBe(0);
    // the second writer read before the first wrote: its guard fails, but the value is what it wanted
    expect((await runStep(second[0])).rc).toBe(0);
    const stale = await plan({ ...base, value: "theirs" });
    if (api === "v3") etcdctl("3", "put", key, "someone else");
    else etcdctl("2", "set", key, "someone else");
    const lost = await runStep(stale[0]);
    expect(lost.rc).toBe(1);
    expect(lost.stderr).toMatch(/another writer changed the key/);
  });
});
