/**
 * raw, script and the command arguments of issue 12 over real SSH through the CLI: what the
 * hosts hold afterwards is read back without runbook, and a second run skips what
 * creates/removes guard (globs) while the rest runs again.
 */
import { beforeAll, describe, expect, inject, it } from "vitest";
import { isLabReady } from "./setup/lab.js";
import { hostsSh, runPlaybookJson, statusByHost } from "./helpers/engine.js";

const lab = inject("lab");
const HOSTS = ["h1", "h2"];
const LIMIT = ["--limit", HOSTS.join(",")];
const ALWAYS = ["raw", "script", "command expands", "shell stdin"];

function statuses(report: Parameters<typeof statusByHost>[0], tasks: readonly string[]): Record<string, Record<string, string>> {
  return Object.fromEntries(tasks.map((task) => [task, statusByHost(report, task)]));
}

const each = (status: string): Record<string, string> => Object.fromEntries(HOSTS.map((host) => [host, status]));

describe.skipIf(!isLabReady(lab))("command modules over ssh: raw, script, globs, stdin, new directories", () => {
  if (!isLabReady(lab)) return;

  beforeAll(async () => {
    await hostsSh(lab, HOSTS, "rm -rf /opt/itcmd");
  });

  it("a first run runs them all and leaves what they say", async () => {
    const run = await runPlaybookJson(lab, "commands.yaml", LIMIT);
    expect(run.code, run.stderr).toBe(0);
    const all = [...ALWAYS, "script creates", "mark once", "lineinfile new dirs", "blockinfile backup"];
    expect(statuses(run.report, all)).toEqual(Object.fromEntries(all.map((task) => [task, each("changed")])));
    const states = await hostsSh(lab, HOSTS, [
      "cd /opt/itcmd",
      "cat raw.out script-cwd script-args home stdin.out deep/er/conf",
      "ls deep/er | grep -c '^conf\\..*~$'",
    ].join(" && "));
    for (const text of states) {
      expect(text).toBe(
        "raw-ran\n/opt/itcmd/work\na b\n/root\n/root\nline\nk = v\n# BEGIN ANSIBLE MANAGED BLOCK\nx = 1\n# END ANSIBLE MANAGED BLOCK\n1\n",
      );
    }
  });

  it("a second run skips what the globs guard and runs the rest again", async () => {
    const run = await runPlaybookJson(lab, "commands.yaml", LIMIT);
    expect(run.code, run.stderr).toBe(0);
    expect(statuses(run.report, ALWAYS)).toEqual(Object.fromEntries(ALWAYS.map((task) => [task, each("changed")])));
    const guarded = ["mark once", "lineinfile new dirs", "blockinfile backup"];
    expect(statuses(run.report, guarded)).toEqual(Object.fromEntries(guarded.map((task) => [task, each("ok")])));
    // Ansible's script skips when creates exists (command and shell say ok)
    expect(statuses(run.report, ["script creates"])).toEqual({ "script creates": each("skipped") });
    // the script's arguments went through the host's shell: 'a b' is one word, $HOME expanded
    const args = await hostsSh(lab, HOSTS, "cat /opt/itcmd/script-args; ls -a /tmp | grep -c runbook-script || true");
    for (const text of args) expect(text).toBe("a b\n/root\n0\n");
  });
});
