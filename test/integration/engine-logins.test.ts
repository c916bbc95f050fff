/**
 * remote_user on real hosts: two logins per host (over two ssh connections), interleaved so
 * that read-ahead and batches meet both (test/fixtures/engine/logins.yaml). Every file is owned
 * by the login that wrote it, a second run changes nothing, and RUNBOOK_READ_AHEAD=off and
 * RUNBOOK_BATCH=off give the same results task by task: the optimisations stay invisible.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import type { JsonReport } from "../../src/report/json.js";
import { fixture, hostsSh, runCli } from "./helpers/engine.js";
import { isLabReady } from "./setup/lab.js";

const lab = inject("lab");
const work = mkdtempSync(join(tmpdir(), "runbook-logins-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const SETTINGS: readonly [string, Record<string, string>][] = [
  ["read-ahead and batches", {}],
  ["RUNBOOK_BATCH=off", { RUNBOOK_BATCH: "off" }],
  ["RUNBOOK_READ_AHEAD=off", { RUNBOOK_READ_AHEAD: "off" }],
];

describe.skipIf(!isLabReady(lab))("two remote_users on each host", () => {
  // two hosts of the suite lab that the keyword oracle's logins play does not use
  const hosts = isLabReady(lab) ? lab.hosts.slice(-4, -2) : [];
  const inventory = join(work, "hosts.ini");

  async function run(env: Record<string, string>, localDir: string): Promise<{ code: number; report: JsonReport; stderr: string }> {
    const result = await runCli([fixture("logins.yaml"), "-i", inventory, "-e", `local_dir=${localDir}`, "--json"], { env });
    return { code: result.code, report: JSON.parse(result.stdout) as JsonReport, stderr: result.stderr };
  }

  const lines = (report: JsonReport): string[] => report.tasks.map((task) => `${task.host} ${task.task}: ${task.status}`).sort();

  it("keeps the logins apart, and every setting gives the same results", { timeout: 600_000 }, async () => {
    if (!isLabReady(lab)) return;
    // no ansible_user: the keywords decide who logs in
    writeFileSync(inventory, `${["[pair]", ...hosts.map((host) => `${host.name} ansible_host=${host.address}`), "[pair:vars]", `ansible_ssh_private_key_file=${lab.keyFile}`, `runbook_known_hosts_file=${lab.knownHostsFile}`].join("\n")}\n`);
    const names = hosts.map((host) => host.name);
    let reference: { first: string[]; second: string[]; owners: string[] } | undefined;
    for (const [name, env] of SETTINGS) {
      await hostsSh(lab, names, "rm -rf /tmp/rb-logins");
      const localDir = mkdtempSync(join(work, "local-"));
      const first = await run(env, localDir);
      expect(first.code, `${name}: ${first.stderr}`).toBe(0);
      const second = await run(env, localDir);
      expect(second.code, `${name}: ${second.stderr}`).toBe(0);
      expect(second.report.tasks.filter((task) => task.status === "changed").map((task) => `${task.host} ${task.task}`), `${name}: second run`).toEqual([]);
      const owners = await hostsSh(lab, names, "cd /tmp/rb-logins && stat -c '%n %U %a' d1 d2 d3 d3/d5 d4 private private/*");
      expect(readFileSync(join(localDir, names[0] ?? ""), "utf8")).toBe("l1\n");
      const result = { first: lines(first.report), second: lines(second.report), owners };
      if (reference === undefined) {
        reference = result;
        expect(owners[0]?.trim().split("\n")).toEqual(["d1 rbdeploy 644", "d2 rbdeploy 644", "d3 rbdeploy 755", "d3/d5 rbdeploy 644", "d4 rbdeploy 644", "private root 700", "private/r1 root 600", "private/r2 root 600", "private/r3 root 600", "private/r4 root 600"]);
      } else {
        expect(result, name).toEqual(reference);
      }
    }
  });
});
