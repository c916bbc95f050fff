/**
 * Faults during a run, through the CLI against the suite's lab hosts: sshd killed mid-play, a host
 * cut off mid-task, a connection dropped mid-upload, SIGINT, and --limit @last-failed.
 */
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { connect } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { labExec, type LabInfo } from "../../src/lab/index.js";
import { parseAddress } from "../../src/lab/ipv4.js";
import { vethName } from "../../src/lab/naming.js";
import { run } from "../../src/lab/run.js";
import { parseJson, runCli, startCli } from "./helpers/cli.js";
import { isLabReady } from "./setup/lab.js";

const lab = inject("lab");

/** A play whose second task is slow, so a fault can strike while it runs. */
function slowPlaybook(dir: string, seconds: number): string {
  const file = join(dir, "slow.yaml");
  writeFileSync(
    file,
    `- name: slow middle
  hosts: all
  gather_facts: false
  tasks:
    - name: first
      command: echo one
    - name: slow
      command: sleep ${seconds}
    - name: third
      command: echo three
    - name: fourth
      command: echo four
`,
  );
  return file;
}

async function restartSshd(info: LabInfo, host: string): Promise<void> {
  await labExec(info.name, host, ["/usr/sbin/sshd", "-E", "/var/log/sshd.log"]);
}

function machineVeth(info: LabInfo, host: string): string {
  const address = info.hosts.find((candidate) => candidate.name === host)?.address ?? "";
  return vethName(parseAddress(address) ?? 0);
}

/** Waits until the host's sshd answers again (after its link came back up). */
async function waitForSsh(info: LabInfo, host: string): Promise<void> {
  const address = info.hosts.find((candidate) => candidate.name === host)?.address ?? "";
  for (let i = 0; i < 120; i++) {
    const answered = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: address, port: 22 });
      socket.setTimeout(1000, () => {
        socket.destroy();
        resolve(false);
      });
      socket.once("data", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (answered) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`${host} did not answer ssh again`);
}

function statusesOf(tasks: { host: string; task: string; status: string }[], host: string): string[] {
  return tasks.filter((task) => task.host === host).map((task) => `${task.task}=${task.status}`);
}

describe.skipIf(!isLabReady(lab))("faults during a run (real lab hosts, through the CLI)", () => {
  const info = lab as LabInfo;
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "rl-faults-"));
  });

  describe("sshd killed on 1 of 5 hosts mid-play", () => {
    afterAll(() => restartSshd(info, "h3"));

    it("the other 4 finish every task, the host is unreachable, exit 3, --json agrees", async () => {
      const cli = startCli([slowPlaybook(dir, 6), "-i", info.inventoryFile, "--limit", "h1,h2,h3,h4,h5", "--json"], { cwd: dir });
      await cli.waitFor("TASK [slow]");
      // the listener and every session: the host's existing connection dies with them
      const killed = await labExec(info.name, "h3", ["sh", "-c", "pkill -x sshd; true"]);
      expect(killed.rc).toBe(0);
      const result = await cli.done;
      expect(result.code).toBe(3);
      const report = parseJson(result);
      expect(report.exitCode).toBe(3);
      for (const host of ["h1", "h2", "h4", "h5"]) {
        expect(statusesOf(report.tasks, host)).toEqual(["first=changed", "slow=changed", "third=changed", "fourth=changed"]);
        expect(report.hosts[host]).toMatchObject({ failed: 0, unreachable: 0 });
      }
      expect(statusesOf(report.tasks, "h3")).toEqual(["first=changed", "slow=unreachable"]);
      expect(report.hosts["h3"]).toMatchObject({ unreachable: 1 });
      expect(result.stderr).toMatch(/fatal: \[h3\]: UNREACHABLE!/);
      expect(result.stderr).toMatch(/h3 +: +ok=1 +changed=1 +unreachable=1/);
    });

    it("exit 2 when another host also failed", async () => {
      await restartSshd(info, "h3");
      const file = join(dir, "fail-one.yaml");
      writeFileSync(
        file,
        `- hosts: all
  gather_facts: false
  tasks:
    - name: slow
      command: sleep 4
    - name: breaks on h1
      command: "false"
      when: inventory_hostname == 'h1'
`,
      );
      const cli = startCli([file, "-i", info.inventoryFile, "--limit", "h1,h3", "--json"], { cwd: dir });
      await cli.waitFor("TASK [slow]");
      await labExec(info.name, "h3", ["sh", "-c", "pkill -x sshd; true"]);
      const result = await cli.done;
      expect(result.code).toBe(2);
      const report = parseJson(result);
      expect(report.hosts["h1"]).toMatchObject({ failed: 1 });
      expect(report.hosts["h3"]).toMatchObject({ unreachable: 1 });
    });
  });

  describe("a host cut off (its veth down on the machine side) mid-task", () => {
    const veth = (): string => machineVeth(info, "h7");
    afterAll(async () => {
      await run(["ip", "link", "set", veth(), "up"]);
    });

    it("is reported unreachable (keepalive) while the others go on", async () => {
      const cli = startCli([slowPlaybook(dir, 5), "-i", info.inventoryFile, "--limit", "h6,h7,h8", "--timeout", "300", "--json"], { cwd: dir });
      await cli.waitFor("TASK [slow]");
      const down = await run(["ip", "link", "set", veth(), "down"]);
      expect(down.rc).toBe(0);
      const result = await cli.done;
      expect(result.code).toBe(3);
      const report = parseJson(result);
      expect(statusesOf(report.tasks, "h7")).toEqual(["first=changed", "slow=unreachable"]);
      for (const host of ["h6", "h8"]) {
        expect(statusesOf(report.tasks, host)).toEqual(["first=changed", "slow=changed", "third=changed", "fourth=changed"]);
      }
      expect(report.tasks.find((task) => task.host === "h7" && task.status === "unreachable")?.msg).toMatch(/closed|timed out|keepalive/i);
      await run(["ip", "link", "set", veth(), "up"]);
    });

    it("with --timeout shorter than the keepalive: the task times out, the host is unreachable, the others go on", async () => {
      await waitForSsh(info, "h7");
      const file = join(dir, "long.yaml");
      writeFileSync(file, "- hosts: all\n  gather_facts: false\n  tasks:\n    - name: long\n      command: sleep 6\n    - name: after\n      command: echo after\n");
      const cli = startCli([file, "-i", info.inventoryFile, "--limit", "h6,h7,h8", "--timeout", "4", "--json"], { cwd: dir });
      await cli.waitFor("TASK [long]");
      // "TASK [long]" is printed before the connection opens: cut the link once the command runs
      // (the host's init keeps a "sleep infinity", hence the exact pattern)
      for (let i = 0; i < 100 && (await labExec(info.name, "h7", ["pgrep", "-f", "^sleep 6$"])).rc !== 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await run(["ip", "link", "set", veth(), "down"]);
      const result = await cli.done;
      const report = parseJson(result);
      expect(statusesOf(report.tasks, "h7")).toEqual(["long=unreachable"]);
      expect(report.tasks.find((task) => task.host === "h7")?.msg).toMatch(/no answer from the host after a command timed out/);
      // the others' sleep 6 also hit --timeout 4: failed, not unreachable, and they were still asked
      for (const host of ["h6", "h8"]) expect(statusesOf(report.tasks, host)).toEqual(["long=failed"]);
      expect(result.code).toBe(2);
    });
  });

  describe("the connection dropped in the middle of uploading a large copy", () => {
    it("keeps the old content byte for byte and leaves no temp file", async () => {
      const old = "old content\n";
      await labExec(info.name, "h9", ["sh", "-c", 'printf "%s" "$1" > /root/big.bin', "sh", old]);
      const big = Buffer.alloc(192 * 1024 * 1024);
      for (let i = 0; i < big.length; i += 4096) big.writeUInt32LE(i, i);
      writeFileSync(join(dir, "big.bin"), big);
      const file = join(dir, "upload.yaml");
      writeFileSync(
        file,
        `- hosts: all
  gather_facts: false
  tasks:
    - name: upload
      copy: { src: ${join(dir, "big.bin")}, dest: /root/big.bin }
`,
      );
      // on the host: wait for the upload's temp file, then kill every sshd session (the connection drops)
      const killer = labExec(info.name, "h9", [
        "sh", "-c",
        "for i in $(seq 1 60000); do ls /root/.big.bin.runbook-*.tmp >/dev/null 2>&1 && break; sleep 0.005; done; pkill -f '^sshd: root'; echo killed",
      ]);
      const result = await runCli([file, "-i", info.inventoryFile, "--limit", "h9", "--json"], { cwd: dir });
      expect((await killer).stdout).toContain("killed");
      expect(result.code).toBe(3);
      expect(parseJson(result).hosts["h9"]).toMatchObject({ unreachable: 1 });
      // the host's side of the upload ends by itself (short byte count, EXIT trap): poll for it
      let leftovers = "";
      for (let i = 0; i < 100; i++) {
        leftovers = (await labExec(info.name, "h9", ["sh", "-c", "ls -a /root | grep runbook || true"])).stdout;
        if (leftovers === "") break;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(leftovers).toBe("");
      const content = await labExec(info.name, "h9", ["sha256sum", "/root/big.bin"]);
      expect(content.stdout.split(" ")[0]).toBe(createHash("sha256").update(old).digest("hex"));
    });
  });

  describe("SIGINT during a run", () => {
    it("starts no new task, finishes the one under way, prints the recap, exits 99", async () => {
      const cli = startCli([slowPlaybook(dir, 3), "-i", info.inventoryFile, "--limit", "h10,h11,h12", "--json"], { cwd: dir });
      await cli.waitFor("TASK [slow]");
      cli.child.kill("SIGINT");
      const result = await cli.done;
      expect(result.code).toBe(99);
      expect(result.stderr).toContain("[interrupted]");
      expect(result.stderr).toContain("PLAY RECAP");
      expect(result.stderr).not.toContain("TASK [third]");
      const report = parseJson(result);
      expect(report.interrupted).toBe(true);
      expect(report.exitCode).toBe(99);
      for (const host of ["h10", "h11", "h12"]) expect(statusesOf(report.tasks, host)).toEqual(["first=changed", "slow=changed"]);
    });

    it("a second SIGINT exits at once", async () => {
      const cli = startCli([slowPlaybook(dir, 300), "-i", info.inventoryFile, "--limit", "h10,h11,h12"], { cwd: dir });
      await cli.waitFor("TASK [slow]");
      cli.child.kill("SIGINT");
      await cli.waitFor("press Ctrl-C again");
      cli.child.kill("SIGINT");
      const result = await cli.done; // well before the 300 s task ends (the test's own timeout is 120 s)
      expect(result.code).toBe(99);
      expect(result.stdout).not.toContain("TASK [third]");
      // only the playbook's sleep: the host's init runs "sleep infinity", and killing it ends the host
      await Promise.all(["h10", "h11", "h12"].map((host) => labExec(info.name, host, ["sh", "-c", "pkill -f '^sleep 300$'; true"])));
    });
  });

  describe("--limit @last-failed", () => {
    it("reruns only the hosts that failed or were unreachable last time", async () => {
      const inventory = join(dir, "with-ghost.yaml");
      // the lab's hosts plus one that refuses connections (loopback port 1)
      writeFileSync(
        inventory,
        `${readFileSync(info.inventoryFile, "utf8")}\nextra:\n  hosts:\n    ghost: { ansible_host: 127.0.0.1, ansible_port: 1, ansible_connection: ssh }\n`,
      );
      const file = join(dir, "breaks-h2.yaml");
      writeFileSync(
        file,
        `- hosts: h1,h2,ghost
  gather_facts: false
  tasks:
    - name: connects
      command: "true"
    - name: breaks on h2
      command: "false"
      when: inventory_hostname == 'h2'
`,
      );
      const first = await runCli([file, "-i", inventory, "--json"], { cwd: dir });
      expect(first.code).toBe(2);
      expect(readFileSync(join(dir, ".runbook", "last-failed"), "utf8")).toBe("ghost\nh2\n");
      const ok = join(dir, "fine.yaml");
      writeFileSync(ok, `- hosts: all\n  gather_facts: false\n  tasks:\n    - name: fine\n      command: "true"\n`);
      const rerun = await runCli([ok, "-i", inventory, "--limit", "@last-failed", "--json"], { cwd: dir });
      expect(Object.keys(parseJson(rerun).hosts).sort()).toEqual(["ghost", "h2"]);
      expect(rerun.code).toBe(3);
      expect(readFileSync(join(dir, ".runbook", "last-failed"), "utf8")).toBe("ghost\n");
    });
  });
});
