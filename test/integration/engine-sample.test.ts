/** playbooks/sample.yaml against every suite host, twice: the first run changes, the second does not. */
import { describe, expect, inject, it } from "vitest";
import { isLabReady } from "./setup/lab.js";
import { hostsSh, REPO, runPlaybookJson, total } from "./helpers/engine.js";
import { join } from "node:path";

const lab = inject("lab");

describe.skipIf(!isLabReady(lab))("playbooks/sample.yaml", () => {
  if (!isLabReady(lab)) return;
  const hosts = lab.hosts.map((host) => host.name);
  const sample = join(REPO, "playbooks", "sample.yaml");

  it("changes every host on the first run and none on the second", async () => {
    await hostsSh(lab, hosts, "rm -rf /etc/sampleapp /etc/sampleapp.conf");
    const first = await runPlaybookJson(lab, sample);
    expect(first.code, first.stderr).toBe(0);
    expect(Object.keys(first.report.hosts).sort()).toEqual([...hosts].sort());
    for (const host of hosts) expect(first.report.hosts[host]!.changed, host).toBeGreaterThan(0);

    const second = await runPlaybookJson(lab, sample);
    expect(second.code, second.stderr).toBe(0);
    for (const host of hosts) expect(second.report.hosts[host], host).toMatchObject({ changed: 0, failed: 0, unreachable: 0 });
    expect(total(second.report, "changed")).toBe(0);
    // the config names every host
    const [config] = await hostsSh(lab, ["h1"], "cat /etc/sampleapp/app.conf");
    for (const host of hosts) expect(config).toContain(`peer = ${host}\n`);
  });
});
