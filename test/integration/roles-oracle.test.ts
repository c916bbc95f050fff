/**
 * The roles oracle: test/fixtures/public-roles/site.yaml (twelve roles in the style of popular
 * public roles) on one systemd lab of four fresh, identical hosts. Real ansible-playbook (over
 * SSH, json callback) converges h1 and h2 while runbook (--json) converges h3 and h4; each host
 * of one pair must give the same per-task results (ok/changed/skipped/failed, handlers
 * included) and end in the same state (the files, modes, users, units, packages, rules, sysctls
 * and mounts the roles manage) as its partner, once host names and addresses are read as
 * "host A" and "host B". Then runbook again and runbook --check on its converged hosts change
 * nothing.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { labDown, labUnavailableReason, type LabInfo } from "../../src/lab/index.js";
import type { JsonReport } from "../../src/report/json.js";
import { ansibleAvailable, ansiblePlaybook, ansibleResults, labInventory, runbookResults, type AnsibleJson, type TaskResult } from "./helpers/ansible.js";
import { hostSh, REPO, runCli, type EngineRun } from "./helpers/engine.js";
import { SYSTEMD_LAB_PACKAGES } from "./helpers/rootfs.js";
import { bootedSystemdLab, testLabName } from "./lab-helpers.js";

const LAB = testLabName("roles");
const FIXTURES = join(REPO, "test", "fixtures", "public-roles");
/** Which host of the runbook pair stands for which of the Ansible pair. */
const PAIRS = [["h1", "h3"], ["h2", "h4"]] as const;

/** The length of the longest common subsequence: results that agree, however many the other tool added or left out. */
function commonLength(a: readonly string[], b: readonly string[]): number {
  let previous = new Array<number>(b.length + 1).fill(0);
  for (const item of a) {
    const row = [0];
    for (const [index, other] of b.entries()) row.push(item === other ? (previous[index] ?? 0) + 1 : Math.max(previous[index + 1] ?? 0, row[index] ?? 0));
    previous = row;
  }
  return previous[b.length] ?? 0;
}

/** What the roles manage on a host, as text: each file's kind, mode, owner and content, then accounts, units, rules... */
const STATE_SCRIPT = String.raw`
for p in /etc/motd /etc/site-roles /etc/systemd/timesyncd.conf.d/10-servers.conf /etc/ssh/sshd_config \
  /etc/ssh/sshd_config.d/50-kex.conf /etc/sudoers.d/ops /home/alice/.ssh/authorized_keys /home/bob/.ssh/authorized_keys \
  /etc/modules-load.d/site.conf /etc/sysctl.d/90-site.conf /etc/fstab /etc/cron.d/ops /srv/ops/bin/prune-logs.sh \
  /srv/ops/bin/disk-report.sh /etc/iptables/rules.v4 /etc/logrotate.d/ops /etc/logrotate.d/web /etc/logrotate.conf \
  /etc/systemd/system/containerd.service.d/10-limits.conf /etc/docker/daemon.json /srv/www/default/index.html \
  /srv/www/status/index.html /etc/webserver/httpd.conf /etc/systemd/system/webserver.service \
  /etc/loadbalancer/haproxy.cfg /etc/loadbalancer/reloaded; do
  echo "== $p: $(stat -c '%F %a %U:%G' "$p" 2>&1)"; cat "$p" 2>&1
done
for d in /srv/ops /srv/ops/bin /srv/ops/log /home/alice /home/alice/.ssh /home/bob /home/bob/.ssh /etc/iptables \
  /etc/systemd/timesyncd.conf.d /etc/webserver /srv/www /srv/www/default /etc/loadbalancer /mnt/scratch; do
  echo "== $d: $(stat -c '%F %a %U:%G' "$d" 2>&1)"
done
echo "== motd fragments"; ls /etc/update-motd.d
echo "== accounts"; getent passwd alice bob olduser; getent group ops sudo; id alice; id bob; getent shadow alice bob | cut -d: -f1,2
echo "== packages"; dpkg-query -W -f '\${Package} \${Status}\n' cron logrotate
echo "== units"; for u in cron webserver containerd docker ssh; do echo "$u $(systemctl is-enabled $u) $(systemctl is-active $u)"; done
echo "== containerd LimitNOFILE=$(systemctl show -p LimitNOFILE --value containerd)"
echo "== iptables"; iptables -S INPUT
echo "== sysctl"; sysctl net.ipv4.ip_forward net.ipv4.tcp_syncookies net.core.somaxconn net.ipv4.conf.all.accept_redirects
echo "== mounts"; findmnt -n -o SOURCE,FSTYPE,OPTIONS /mnt/scratch
echo "== sshd"; sshd -T | grep -E '^(permitrootlogin|passwordauthentication|x11forwarding|maxauthtries|clientaliveinterval|kexalgorithms) '
echo "== http"; python3 -c "import urllib.request; print(urllib.request.urlopen('http://127.0.0.1:8080/status/index.html').read().decode())"
`.replaceAll("\\${", "${");

describe.skipIf(labUnavailableReason("systemd", true) !== undefined || !ansibleAvailable())("public-style roles: runbook against ansible-playbook on systemd hosts", () => {
  let lab: LabInfo;
  let work: string;
  let ansibleRun: AnsibleJson;
  let runbookRun: EngineRun;
  const address = (host: string): string => lab.hosts.find((entry) => entry.name === host)?.address ?? "";

  /** A copy of the fixtures with an inventory of `hosts` for `tool` (group_vars/ beside it). */
  function workDir(tool: "ansible" | "runbook", hosts: readonly string[]): string {
    const dir = join(work, tool);
    cpSync(FIXTURES, dir, { recursive: true });
    writeFileSync(join(dir, "inventory.ini"), labInventory(lab, tool, hosts));
    return dir;
  }

  async function runbook(dir: string, extra: readonly string[] = []): Promise<EngineRun> {
    const result = await runCli([join(dir, "site.yaml"), "-i", join(dir, "inventory.ini"), "--json", ...extra], { cwd: dir });
    try {
      return { ...result, report: JSON.parse(result.stdout) as JsonReport };
    } catch {
      throw new Error(`runbook exited ${result.code} without one JSON document:\n${result.stdout}\n--- stderr:\n${result.stderr}`);
    }
  }

  /** Host names and addresses of either pair read as A and B, so partners' texts compare. */
  function normalized(text: string): string {
    let out = text;
    for (const [index, pair] of PAIRS.entries()) {
      const letter = index === 0 ? "A" : "B";
      for (const name of pair) {
        out = out.replace(new RegExp(`(?<![\\d.])${address(name).replaceAll(".", "\\.")}(?!\\d)`, "g"), `IP_${letter}`).replace(new RegExp(`\\b${name}\\b`, "g"), `HOST_${letter}`);
      }
    }
    return out;
  }

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), "runbook-roles-oracle-"));
    lab = await bootedSystemdLab({ name: LAB, hosts: 4, nat: true, packages: [...SYSTEMD_LAB_PACKAGES] });
  }, 900_000);

  afterAll(async () => {
    await labDown(LAB);
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
  });

  it("converges both pairs, each tool its own (ansible-playbook on h1 h2, runbook on h3 h4, at once)", { timeout: 900_000 }, async () => {
    const [ansible, ours] = await Promise.all([ansiblePlaybook(workDir("ansible", ["h1", "h2"]), "site.yaml"), runbook(workDir("runbook", ["h3", "h4"]))]);
    expect(ansible.code, ansible.stderr).toBe(0);
    ansibleRun = JSON.parse(ansible.stdout) as AnsibleJson;
    runbookRun = ours;
    expect(ours.code, ours.stderr).toBe(0);
  });

  it("gives each task the same result as ansible-playbook, host by host", () => {
    const theirs = ansibleResults(ansibleRun);
    const ours = runbookResults(runbookRun.report);
    let agree = 0;
    let total = 0;
    for (const [ansibleHost, runbookHost] of PAIRS) {
      const expected = theirs.get(ansibleHost) ?? [];
      const actual = ours.get(runbookHost) ?? [];
      total += Math.max(expected.length, actual.length);
      agree += commonLength(expected.map(String), actual.map(String));
    }
    console.log(`${agree}/${total} task results agree with ansible-playbook`);
    // as lines, so that a disagreement shows as a readable diff
    const lines = (results: readonly TaskResult[] | undefined): string => (results ?? []).map(([task, status]) => `${task}: ${status}`).join("\n");
    for (const [ansibleHost, runbookHost] of PAIRS) expect(lines(ours.get(runbookHost)), `${runbookHost} against ${ansibleHost}`).toBe(lines(theirs.get(ansibleHost)));
    for (const [ansibleHost, runbookHost] of PAIRS) {
      const stats = ansibleRun.stats[ansibleHost]!;
      expect(runbookRun.report.hosts[runbookHost]).toMatchObject({ ok: stats.ok, changed: stats.changed, failed: stats.failures, skipped: stats.skipped, rescued: stats.rescued, ignored: stats.ignored });
    }
  });

  it("leaves each host in its partner's state", async () => {
    for (const [ansibleHost, runbookHost] of PAIRS) {
      const [theirs, ours] = await Promise.all([hostSh(lab, ansibleHost, STATE_SCRIPT), hostSh(lab, runbookHost, STATE_SCRIPT)]);
      expect(normalized(ours), `${runbookHost} against ${ansibleHost}`).toBe(normalized(theirs));
    }
  });

  it("changes nothing on a second run, nor in --check on the converged hosts", { timeout: 600_000 }, async () => {
    const dir = join(work, "runbook");
    for (const extra of [[], ["--check"]]) {
      const run = await runbook(dir, extra);
      const changed = run.report.tasks.filter((entry) => entry.status === "changed").map((entry) => `${entry.host} ${entry.task}`);
      expect(changed, `runbook ${extra.join(" ")}`).toEqual([]);
      expect(run.code, run.stderr).toBe(0);
    }
  });
});
