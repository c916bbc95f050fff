/**
 * Security through the CLI against suite lab hosts: host keys (unknown refused with a way to
 * trust it, recorded with --accept-new-host-keys, a changed key always refused), no_log, the
 * become password and vault values kept out of every process's argv and every output, and an
 * end-to-end run with vault-encrypted vars_files and group_vars.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { labExec, type LabInfo } from "../../src/lab/index.js";
import { encryptVault } from "../../src/vault/format.js";
import { parseJson, runCli, startCli } from "./helpers/cli.js";
import { isLabReady } from "./setup/lab.js";

const lab = inject("lab");

function addressOf(info: LabInfo, host: string): string {
  return info.hosts.find((candidate) => candidate.name === host)?.address ?? "";
}

/** An inventory with one lab host under its own name, user and known_hosts file. */
function inventoryFor(info: LabInfo, dir: string, host: string, options: { user?: string; knownHosts?: string; group?: string } = {}): string {
  const file = join(dir, `${host}-${options.user ?? "root"}.yaml`);
  const vars = [
    `ansible_host: ${addressOf(info, host)}`,
    `ansible_user: ${options.user ?? "root"}`,
    `ansible_ssh_private_key_file: ${info.keyFile}`,
    `runbook_known_hosts_file: ${options.knownHosts ?? info.knownHostsFile}`,
  ];
  writeFileSync(file, `${options.group ?? "all"}:\n  hosts:\n    ${host}:\n${vars.map((line) => `      ${line}\n`).join("")}`);
  return file;
}

/** Every process's argv on the machine (the controller), NUL-separated words joined by spaces. */
function controllerArgvs(): string {
  const out: string[] = [];
  for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    try {
      out.push(readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\u0000", " "));
    } catch {
      // the process ended meanwhile
    }
  }
  return out.join("\n");
}

async function hostArgvs(info: LabInfo, host: string): Promise<string> {
  const result = await labExec(info.name, host, ["sh", "-c", "for f in /proc/[0-9]*/cmdline; do tr '\\0' ' ' < \"$f\"; echo; done 2>/dev/null"]);
  return result.stdout;
}

describe.skipIf(!isLabReady(lab))("security (real lab hosts, through the CLI)", () => {
  const info = lab as LabInfo;
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "rl-security-"));
    writeFileSync(join(dir, "ping.yaml"), "- hosts: all\n  gather_facts: false\n  tasks:\n    - name: ping\n      ping:\n");
  });

  describe("host keys", () => {
    const host = "h6";
    afterAll(async () => {
      // put the lab's key back so other tests (and the lab's known_hosts) keep working
      await labExec(info.name, host, ["sh", "-c", "cp -p /root/hostkey.bak/ssh_host_ed25519_key* /etc/ssh/ 2>/dev/null; kill $(cat /run/sshd.pid); sleep 0.2; /usr/sbin/sshd -E /var/log/sshd.log"]);
    });

    it("refuses an unknown key and says how to trust it; --accept-new-host-keys records it; a changed key is always refused", async () => {
      const knownHosts = join(dir, "known_hosts");
      writeFileSync(knownHosts, "");
      const inventory = inventoryFor(info, dir, host, { knownHosts });
      const ping = join(dir, "ping.yaml");

      const unknown = await runCli([ping, "-i", inventory], { cwd: dir });
      expect(unknown.code).toBe(3);
      expect(unknown.stdout).toMatch(/host key of .* is not in/);
      expect(unknown.stdout).toContain("--accept-new-host-keys");
      expect(readFileSync(knownHosts, "utf8")).toBe("");

      const accepted = await runCli([ping, "-i", inventory, "--accept-new-host-keys"], { cwd: dir });
      expect(accepted.code).toBe(0);
      expect(readFileSync(knownHosts, "utf8")).toContain(`${addressOf(info, host)} ssh-ed25519 `);
      expect((await runCli([ping, "-i", inventory], { cwd: dir })).code).toBe(0);

      // the host is "reinstalled": a new host key
      const regenerated = await labExec(info.name, host, [
        "sh", "-c",
        "mkdir -p /root/hostkey.bak && cp -p /etc/ssh/ssh_host_ed25519_key* /root/hostkey.bak/ && rm -f /etc/ssh/ssh_host_ed25519_key* && ssh-keygen -q -t ed25519 -N '' -f /etc/ssh/ssh_host_ed25519_key && kill $(cat /run/sshd.pid) && sleep 0.2 && /usr/sbin/sshd -E /var/log/sshd.log",
      ]);
      expect(regenerated.rc, regenerated.stderr).toBe(0);
      const before = readFileSync(knownHosts, "utf8");
      for (const flags of [[], ["--accept-new-host-keys"]]) {
        const changed = await runCli([ping, "-i", inventory, ...flags], { cwd: dir });
        expect(changed.code).toBe(3);
        expect(changed.stdout).toMatch(/HOST KEY OF .* HAS CHANGED/);
        expect(changed.stdout).toContain("ssh-keygen -f");
      }
      expect(readFileSync(knownHosts, "utf8")).toBe(before);
    });
  });

  describe("secrets: no_log, the become password and vault values", () => {
    const host = "h5";
    const becomePassword = "Become-Pw-31415";
    const vaultValue = "Vault-Value-92653";
    const nologMarker = "nolog-marker-58979";

    beforeAll(async () => {
      const setup = await labExec(info.name, host, [
        "sh", "-c",
        'id rbuser >/dev/null 2>&1 || useradd -m -s /bin/sh rbuser; echo "rbuser:$1" | chpasswd; echo "rbuser ALL=(ALL) ALL" > /etc/sudoers.d/rbuser; mkdir -p /home/rbuser/.ssh; cp /root/.ssh/authorized_keys /home/rbuser/.ssh/; chown -R rbuser /home/rbuser/.ssh',
        "sh", becomePassword,
      ]);
      expect(setup.rc, setup.stderr).toBe(0);
    });

    it("keep them out of argv on the target and the controller, and out of console, --json and -vvv", async () => {
      const passwordFile = join(dir, "vault-pass");
      writeFileSync(passwordFile, "vault-pw\n");
      writeFileSync(join(dir, "secrets.yaml"), encryptVault(Buffer.from(`db_password: ${vaultValue}\n`), "vault-pw"));
      const playbook = join(dir, "secrets-play.yaml");
      writeFileSync(
        playbook,
        `- hosts: all
  gather_facts: false
  vars_files: [secrets.yaml]
  tasks:
    - name: slow become
      command: sleep 5
      become: true
    - name: who
      command: whoami
      become: true
      register: who
    - name: show
      debug: { msg: "user={{ who.stdout }} secret={{ db_password }}" }
    - name: secret into a file
      copy: { content: "{{ db_password }}", dest: /tmp/rl-secret.txt, mode: "0600" }
      become: true
    - name: quiet
      command: echo ${nologMarker}
      no_log: true
`,
      );
      const inventory = inventoryFor(info, dir, host, { user: "rbuser" });
      const cli = startCli([playbook, "-i", inventory, "--vault-password-file", passwordFile, "--json", "-vvv"], {
        cwd: dir,
        env: { RUNBOOK_BECOME_PASSWORD: becomePassword },
      });
      await cli.waitFor("TASK [slow become]");
      const seen: string[] = [];
      for (let i = 0; i < 5; i++) {
        seen.push(await hostArgvs(info, host), controllerArgvs());
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
      const result = await cli.done;
      expect(result.code, result.stderr).toBe(0);
      const argvs = seen.join("\n");
      expect(argvs).toContain("sleep 5"); // we did look while the task ran
      expect(argvs).not.toContain(becomePassword);
      expect(argvs).not.toContain(vaultValue);
      const output = result.stdout + result.stderr;
      expect(output).not.toContain(becomePassword);
      expect(output).not.toContain(vaultValue);
      expect(output).not.toContain(nologMarker);
      expect(result.stderr).toContain("user=root secret=********");
      const quiet = parseJson(result).tasks.find((task) => task.task === "quiet");
      expect(quiet?.commands).toBeUndefined();
      // the value did reach the host, through stdin
      expect((await labExec(info.name, host, ["cat", "/tmp/rl-secret.txt"])).stdout).toBe(vaultValue);
    });

    it("loads vault-encrypted group_vars transparently with RUNBOOK_VAULT_PASSWORD_FILE, and refuses without a password", async () => {
      const project = join(dir, "vault-project");
      mkdirSync(join(project, "group_vars"), { recursive: true });
      const inventory = inventoryFor(info, project, host, { group: "web" });
      writeFileSync(join(project, "group_vars", "web.yaml"), encryptVault(Buffer.from(`api_token: ${vaultValue}-gv\n`), "vault-pw"));
      writeFileSync(join(project, "pass"), "vault-pw\n");
      const playbook = join(project, "play.yaml");
      writeFileSync(playbook, `- hosts: web\n  gather_facts: false\n  tasks:\n    - name: write token\n      copy: { content: "{{ api_token }}", dest: /tmp/rl-token.txt }\n    - debug: { msg: "token {{ api_token }}" }\n`);
      const withPassword = await runCli([playbook, "-i", inventory, "-v"], { cwd: project, env: { RUNBOOK_VAULT_PASSWORD_FILE: join(project, "pass") } });
      expect(withPassword.code, withPassword.stdout).toBe(0);
      expect(withPassword.stdout).toContain("token ********");
      expect(withPassword.stdout).not.toContain(`${vaultValue}-gv`);
      expect((await labExec(info.name, host, ["cat", "/tmp/rl-token.txt"])).stdout).toBe(`${vaultValue}-gv`);

      const without = await runCli([playbook, "-i", inventory], { cwd: project });
      expect(without.code).toBe(4);
      expect(without.stderr).toMatch(/vault-encrypted and no vault password/);
      expect(without.stderr).toContain("--vault-password-file");
    });
  });

  describe("runbook vault", () => {
    it("encrypts, views and decrypts a file in place", async () => {
      const file = join(dir, "plain.yaml");
      const pass = join(dir, "vault-cli-pass");
      writeFileSync(pass, "pw\n");
      writeFileSync(file, "a: 1\n");
      expect((await runCli(["vault", "encrypt", file, "--vault-password-file", pass])).code).toBe(0);
      expect(readFileSync(file, "utf8")).toMatch(/^\$RUNBOOK_VAULT;1;AES256GCM\n/);
      const view = await runCli(["vault", "view", file, "--vault-password-file", pass]);
      expect(view.stdout).toBe("a: 1\n");
      const wrong = join(dir, "wrong-pass");
      writeFileSync(wrong, "nope\n");
      const refused = await runCli(["vault", "view", file, "--vault-password-file", wrong]);
      expect(refused.code).toBe(4);
      expect(refused.stderr).toMatch(/wrong vault password/);
      expect((await runCli(["vault", "decrypt", file, "--vault-password-file", pass])).code).toBe(0);
      expect(readFileSync(file, "utf8")).toBe("a: 1\n");
    });
  });
});
