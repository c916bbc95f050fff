/**
 * Every core module that a light host can run, over real SSH through the CLI: a first run
 * changes the host, a second run changes nothing, and check mode with other wanted values
 * reports the changes while the host stays as it was (read back without runbook).
 * service and package need systemd hosts and the network: engine-systemd.test.ts.
 */
import { beforeAll, describe, expect, inject, it } from "vitest";
import { isLabReady } from "./setup/lab.js";
import { hostsSh, runPlaybookJson, statusByHost, total, type EngineRun } from "./helpers/engine.js";

const lab = inject("lab");
const HOSTS = ["h1", "h2"];
const LIMIT = ["--limit", HOSTS.join(",")];
const REV1 = ["-e", "@test/fixtures/engine/modules-rev1.yaml"];
const REV2 = ["-e", "@test/fixtures/engine/modules-rev2.yaml"];

/** Tasks that change a fresh host on the first run. */
const CHANGING = [
  "file directory", "copy content", "copy src", "template peers", "lineinfile", "blockinfile",
  "command creates", "shell removes", "sysctl", "group", "user", "artifact",
];
/** Tasks that only read. */
const READING = ["stat", "stat result is usable", "wait_for"];

const RESET = [
  "rm -rf /opt/itmod /etc/sysctl.d/90-itmod.conf",
  "userdel itmod 2>/dev/null || true",
  "groupdel itmodg 2>/dev/null || true",
  "sysctl -qw net.ipv4.ip_forward=0",
].join("; ");

/** Everything the playbook manages, as text, to compare before and after a check run. */
const SNAPSHOT = [
  "cd /opt/itmod",
  "stat -c '%n %a %U:%G %s' . * | sort",
  "sha256sum * | sort",
  "cat /etc/sysctl.d/90-itmod.conf",
  "sysctl -n net.ipv4.ip_forward",
  "getent group itmodg",
  "getent passwd itmod",
].join("; ");

function expectStatuses(run: EngineRun, tasks: readonly string[], status: string): void {
  for (const task of tasks) {
    expect({ task, statuses: statusByHost(run.report, task) }).toEqual({ task, statuses: Object.fromEntries(HOSTS.map((host) => [host, status])) });
  }
}

describe.skipIf(!isLabReady(lab))("core modules over ssh: change, no change, check mode", () => {
  if (!isLabReady(lab)) return;
  let afterFirst: string[];

  beforeAll(async () => {
    await hostsSh(lab, HOSTS, RESET);
  });

  it("a first run changes every managing module and reads with the others", async () => {
    const run = await runPlaybookJson(lab, "modules.yaml", [...LIMIT, ...REV1]);
    expect(run.code, run.stderr).toBe(0);
    expectStatuses(run, CHANGING, "changed");
    expectStatuses(run, READING, "ok");
    for (const host of HOSTS) expect(run.report.hosts[host]).toMatchObject({ changed: CHANGING.length, failed: 0, unreachable: 0 });
  });

  it("leaves the hosts in the state the playbook describes", async () => {
    const [h1, h2] = lab.hosts;
    const contents = await hostsSh(lab, HOSTS, [
      "cd /opt/itmod",
      "stat -c '%a' . content.txt blob.txt",
      "cat content.txt src.txt settings limits peers.conf",
      "ls flag-1 && ! test -e marker-1",
      "sysctl -n net.ipv4.ip_forward; cat /etc/sysctl.d/90-itmod.conf",
      "getent group itmodg | cut -d: -f3; getent passwd itmod | cut -d: -f4,7",
      "sha256sum blob.txt | cut -c1-64",
    ].join(" && "));
    for (const [index, text] of contents.entries()) {
      const host = lab.hosts[index]!;
      expect(text).toContain("755\n644\n644\n");
      expect(text).toContain("first content\nfirst source file\nlevel = info\n# BEGIN ANSIBLE MANAGED BLOCK\nmax_level = info\n# END ANSIBLE MANAGED BLOCK\n");
      // the template read both hosts' gathered facts through hostvars
      expect(text).toContain(`me = ${host.name} (${host.address})`);
      expect(text).toContain(`peer h1 = h1 ${h1!.address}\npeer h2 = h2 ${h2!.address}\n`);
      expect(text).toContain("flag-1\n1\nnet.ipv4.ip_forward=1\n4501\n4501:/bin/sh\n");
      expect(text).toContain("2858682f59b684c9edde1b17447e3e7fb88bb7c99d93d90f7a9544b3b2cf72f5");
    }
    afterFirst = await hostsSh(lab, HOSTS, SNAPSHOT);
  });

  it("a second run changes nothing", async () => {
    const run = await runPlaybookJson(lab, "modules.yaml", [...LIMIT, ...REV1]);
    expect(run.code, run.stderr).toBe(0);
    expect(total(run.report, "changed")).toBe(0);
    expectStatuses(run, [...CHANGING, ...READING], "ok");
    expect(await hostsSh(lab, HOSTS, SNAPSHOT)).toEqual(afterFirst);
  });

  it("check mode with new values reports what would change and leaves the hosts alone", async () => {
    const run = await runPlaybookJson(lab, "modules.yaml", [...LIMIT, ...REV2, "--check"]);
    expect(run.code, run.stderr).toBe(0);
    // the marker the new command would make does not exist, so `removes` has nothing to do
    const wouldChange = CHANGING.filter((task) => task !== "shell removes");
    expectStatuses(run, wouldChange, "changed");
    expectStatuses(run, ["shell removes", ...READING], "ok");
    expect(await hostsSh(lab, HOSTS, SNAPSHOT)).toEqual(afterFirst);
  });
});
