/**
 * become over real SSH: log in as an unprivileged user (`-e ansible_user=...`), sudo to root.
 * The users are made on the hosts here: one with NOPASSWD sudo, one whose sudo asks for a
 * password (given with RUNBOOK_BECOME_PASSWORD).
 */
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { isLabReady } from "./setup/lab.js";
import { hostSh, hostsSh, runPlaybookJson, statusByHost } from "./helpers/engine.js";

const lab = inject("lab");
const NOPASSWD_HOSTS = ["h5", "h6"];
const PASSWORD_HOST = "h7";
const PASSWORD = "it become 'pass\"word";

/** A user who logs in with the lab key; `sudoRule` goes to /etc/sudoers.d. */
function makeUser(user: string, publicKey: string, sudoRule: string): string {
  return [
    `id ${user} >/dev/null 2>&1 || useradd -m -s /bin/sh ${user}`,
    `mkdir -p /home/${user}/.ssh`,
    `printf '%s\\n' '${publicKey}' > /home/${user}/.ssh/authorized_keys`,
    `chown -R ${user}: /home/${user}/.ssh && chmod 700 /home/${user}/.ssh`,
    `printf '%s\\n' '${user} ${sudoRule}' > /etc/sudoers.d/${user} && chmod 440 /etc/sudoers.d/${user}`,
    "rm -rf /opt/itbecome",
  ].join(" && ");
}

describe.skipIf(!isLabReady(lab))("become over ssh", () => {
  if (!isLabReady(lab)) return;

  beforeAll(async () => {
    const publicKey = readFileSync(`${lab.keyFile}.pub`, "utf8").trim();
    await hostsSh(lab, NOPASSWD_HOSTS, makeUser("itdeploy", publicKey, "ALL=(ALL) NOPASSWD: ALL"));
    await hostSh(lab, PASSWORD_HOST, makeUser("itpass", publicKey, "ALL=(ALL) ALL"));
    // chpasswd reads user:password lines; the password has quotes and a space on purpose
    await hostSh(lab, PASSWORD_HOST, `printf '%s\\n' 'itpass:${PASSWORD.replace(/'/g, "'\\''")}' | chpasswd`);
  });

  it("connects as the user and writes a root-owned file with become (NOPASSWD sudo)", async () => {
    const run = await runPlaybookJson(lab, "become.yaml", ["--limit", NOPASSWD_HOSTS.join(","), "-e", "ansible_user=itdeploy"]);
    expect(run.code, run.stderr).toBe(0);
    expect(statusByHost(run.report, "identities")).toEqual({ h5: "ok", h6: "ok" });
    expect(await hostsSh(lab, NOPASSWD_HOSTS, "stat -c '%U:%G %a' /opt/itbecome/secret; cat /opt/itbecome/secret")).toEqual([
      "root:root 600\nonly root\n",
      "root:root 600\nonly root\n",
    ]);
  });

  it("sudo that asks for a password gets RUNBOOK_BECOME_PASSWORD", async () => {
    const run = await runPlaybookJson(lab, "become.yaml", ["--limit", PASSWORD_HOST, "-e", "ansible_user=itpass"], {
      env: { RUNBOOK_BECOME_PASSWORD: PASSWORD },
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.report.hosts[PASSWORD_HOST]).toMatchObject({ failed: 0, changed: 4 });
    expect(await hostSh(lab, PASSWORD_HOST, "stat -c '%U %a' /opt/itbecome/secret")).toBe("root 600\n");
    // the password is not in the report or the console output
    expect(run.stdout + run.stderr).not.toContain(PASSWORD);
  });

  it("a wrong become password fails the host (exit 2) and says why", async () => {
    await hostSh(lab, PASSWORD_HOST, "rm -rf /opt/itbecome");
    const run = await runPlaybookJson(lab, "become.yaml", ["--limit", PASSWORD_HOST, "-e", "ansible_user=itpass"], {
      env: { RUNBOOK_BECOME_PASSWORD: "wrong" },
    });
    expect(run.code).toBe(2);
    const failed = run.report.tasks.find((task) => task.status === "failed");
    expect(failed?.task).toBe("directory as root");
    expect(failed?.msg ?? "").toMatch(/password|sudo/i);
    expect(await hostSh(lab, PASSWORD_HOST, "test -e /opt/itbecome && echo exists || echo absent")).toBe("absent\n");
  });
});
