/**
 * cron (a user's crontab and a cron.d file), mount (fstab + a real tmpfs), iptables (a rule in
 * the host's own network namespace), apt_repository and hostname (/etc/hostname: light hosts
 * have no systemd) over real SSH on one light host: a first run changes each, a second changes
 * nothing, check mode of the removal reports it and leaves the host as it was, then the removal.
 */
import { beforeAll, describe, expect, inject, it } from "vitest";
import { isLabReady } from "./setup/lab.js";
import { hostsSh, runPlaybookJson, statusByHost } from "./helpers/engine.js";

const lab = inject("lab");
const HOST = "h11";
const LIMIT = ["--limit", HOST];
const TASKS = ["cron user", "cron file", "mount", "iptables", "apt_repository", "hostname"];

const STATE = [
  "crontab -l 2>/dev/null | grep -A1 '^#Ansible: itsys' || echo no-crontab",
  "cat /etc/cron.d/itsys 2>/dev/null || echo no-cron-file",
  "findmnt -n -o FSTYPE /mnt/itsys || echo not-mounted",
  "grep itsys /etc/fstab || echo no-fstab-line",
  "iptables -S INPUT | grep itsys || echo no-rule",
  "cat /etc/apt/sources.list.d/itsys.list 2>/dev/null || echo no-list",
  "cat /etc/hostname",
].join("; ");

describe.skipIf(!isLabReady(lab))("system modules over ssh on a light host", () => {
  if (!isLabReady(lab)) return;
  const hostState = async (): Promise<string> => (await hostsSh(lab, [HOST], STATE))[0] ?? "";

  beforeAll(async () => {
    await hostsSh(lab, [HOST], "crontab -r 2>/dev/null; rm -f /etc/cron.d/itsys /etc/apt/sources.list.d/itsys.list; umount /mnt/itsys 2>/dev/null; rmdir /mnt/itsys 2>/dev/null; sed -i '/itsys/d' /etc/fstab; iptables -F INPUT; echo h11 > /etc/hostname; true");
  });

  it("present: each task changes the host, then a rerun changes nothing", async () => {
    const first = await runPlaybookJson(lab, "system-modules.yaml", [...LIMIT, "-e", "want=present"]);
    expect(first.code, first.stderr).toBe(0);
    for (const task of TASKS) expect({ task, status: statusByHost(first.report, task) }).toEqual({ task, status: { [HOST]: "changed" } });
    expect(await hostState()).toBe(
      [
        "#Ansible: itsys", "*/5 * * * * /bin/true",
        "#Ansible: itsys", "@daily root /bin/true",
        "tmpfs", "tmpfs /mnt/itsys tmpfs size=1m 0 0",
        '-A INPUT -p tcp -m tcp --dport 9 -m comment --comment itsys -j DROP',
        "deb http://deb.example.invalid/itsys bookworm main",
        "itsys-h11", "",
      ].join("\n"),
    );
    const second = await runPlaybookJson(lab, "system-modules.yaml", [...LIMIT, "-e", "want=present"]);
    expect(second.code, second.stderr).toBe(0);
    expect(second.report.hosts[HOST]).toMatchObject({ changed: 0, failed: 0 });
  });

  it("check mode of the removal reports every change and makes none; the removal leaves nothing", async () => {
    const before = await hostState();
    const check = await runPlaybookJson(lab, "system-modules.yaml", [...LIMIT, "-e", "want=absent", "--check"]);
    expect(check.code, check.stderr).toBe(0);
    for (const task of TASKS) expect({ task, status: statusByHost(check.report, task) }).toEqual({ task, status: { [HOST]: "changed" } });
    expect(await hostState()).toBe(before);

    const removal = await runPlaybookJson(lab, "system-modules.yaml", [...LIMIT, "-e", "want=absent"]);
    expect(removal.code, removal.stderr).toBe(0);
    expect(await hostState()).toBe(["no-crontab", "no-cron-file", "not-mounted", "no-fstab-line", "no-rule", "no-list", "h11", ""].join("\n"));
  });
});
