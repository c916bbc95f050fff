/**
 * Logins: which connection a task gets (remote_user, connection, inventory, -u, -e, in Ansible's
 * precedence), and that read-ahead and batches never carry one login's probes or steps over
 * another's connection, whatever the optimisations.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { executorOptions } from "../../../src/cli/run-options.js";
import { Connections } from "../../../src/executor/connections.js";
import type { RunEvent } from "../../../src/executor/events.js";
import { defaultExecutorOptions, type ExecutorOptions } from "../../../src/executor/options.js";
import { runPlaybook } from "../../../src/executor/run.js";
import { loadInventories } from "../../../src/inventory/load.js";
import { moduleCatalog } from "../../../src/modules/registry.js";
import { loadPlaybook } from "../../../src/playbook/load.js";
import { LocalTransport } from "../../../src/transport/local.js";
import type { CommandResult, PutOptions, RunOptions } from "../../../src/transport/types.js";

function inventory(text: string): ReturnType<typeof loadInventories> {
  const dir = mkdtempSync(join(tmpdir(), "runbook-logins-"));
  writeFileSync(join(dir, "hosts.ini"), text);
  return loadInventories([join(dir, "hosts.ini")]);
}

describe("Connections.login", () => {
  const me = userInfo().username;
  const hosts = inventory(["plain", "named ansible_user=inv", "old ansible_ssh_user=old", "here ansible_connection=local", "far ansible_connection=ssh"].join("\n"));

  it("takes the inventory's ansible_user over remote_user, remote_user over -u, -u over the controller's user", () => {
    const connections = new Connections(hosts, { user: "cli" });
    expect(connections.login("named", { user: "kw" })).toEqual({ connection: "ssh", user: "inv" });
    expect(connections.login("old", { user: "kw" })).toEqual({ connection: "ssh", user: "old" });
    expect(connections.login("plain", { user: "kw" })).toEqual({ connection: "ssh", user: "kw" });
    expect(connections.login("plain")).toEqual({ connection: "ssh", user: "cli" });
    expect(new Connections(hosts).login("plain")).toEqual({ connection: "ssh", user: me });
  });

  it("takes the user the task's variables resolved (ansible_user in play vars) as it is", () => {
    expect(new Connections(hosts).login("named", { user: "kw", resolvedUser: "fromvars" })).toEqual({ connection: "ssh", user: "fromvars" });
  });

  it("reads -u/--user into the run's options", () => {
    expect(executorOptions({ user: "cli" }, new AbortController().signal, {}).remoteUser).toBe("cli");
  });

  it("takes -e ansible_user over everything", () => {
    expect(new Connections(hosts, { user: "cli" }, { ansible_user: "extra" }).login("named", { user: "kw" })).toEqual({ connection: "ssh", user: "extra" });
  });

  it("takes the inventory's ansible_connection over the connection keyword", () => {
    const connections = new Connections(hosts);
    expect(connections.login("plain", { connection: "local" })).toEqual({ connection: "local", user: me, via: "localhost" });
    expect(connections.login("far", { connection: "local", user: "kw" })).toEqual({ connection: "ssh", user: "kw" });
    expect(connections.login("here", { connection: "ssh" })).toEqual({ connection: "local", user: me, via: "here" });
    expect(connections.login("localhost")).toEqual({ connection: "local", user: me, via: "localhost" });
  });

  it("opens one connection per login, lazily, and reuses it", () => {
    const made: string[] = [];
    const connections = new Connections(hosts, {}, {}, (host, login) => {
      made.push(`${host} ${login?.connection} ${login?.user}`);
      return new LocalTransport(host);
    });
    expect(made).toEqual([]);
    const root = connections.get("plain", connections.login("plain", { user: "root" }));
    expect(connections.get("plain", connections.login("plain", { user: "root" }))).toBe(root);
    expect(connections.get("plain", connections.login("plain", { user: "deploy" }))).not.toBe(root);
    // one local shell for every host's connection: local, as for delegate_to: localhost
    const local = connections.get("plain", connections.login("plain", { connection: "local" }));
    expect(connections.get("named", connections.login("named", { connection: "local" }))).toBe(local);
    expect(connections.get("localhost")).toBe(local);
    expect(made).toEqual(["plain ssh root", "plain ssh deploy", `localhost local ${me}`]);
    expect(connections.size).toBe(3);
  });
});

/** A "host" that is the controller, labelled with the login it stands for; every command it runs is recorded under that label. */
class LoginTransport extends LocalTransport {
  constructor(host: string, private readonly label: string, private readonly log: Map<string, string[]>) {
    super(host);
  }

  private record(text: string): void {
    const key = `${this.host}/${this.label}`;
    this.log.set(key, [...(this.log.get(key) ?? []), text]);
  }

  override run(argv: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
    this.record(`${options.become === undefined ? "" : `[become ${options.become.user}] `}${argv.join(" ")}`);
    // what the task reads of its login: another login's command would print another name
    return super.run(argv, { ...options, env: { ...options.env, RB_LOGIN: this.label } });
  }

  override put(path: string, content: Buffer, options?: PutOptions): Promise<void> {
    this.record(`put ${path}`);
    return super.put(path, content, options);
  }
}

const LABELS = ["admin", "deploy", "local"];

const PLAYBOOK = `
- hosts: all
  remote_user: admin
  tasks:
    - file: { path: "{{ root }}/{{ inventory_hostname }}", state: directory }
    - copy: { content: "1", dest: "{{ root }}/{{ inventory_hostname }}/admin-1" }
    - copy: { content: "1", dest: "{{ root }}/{{ inventory_hostname }}/deploy-1" }
      remote_user: deploy
    - copy: { content: "2", dest: "{{ root }}/{{ inventory_hostname }}/deploy-2" }
      remote_user: "{{ second_user }}"
    - copy: { content: "2", dest: "{{ root }}/{{ inventory_hostname }}/admin-2" }
    - block:
        - copy: { content: "3", dest: "{{ root }}/{{ inventory_hostname }}/deploy-3" }
        - file: { path: "{{ root }}/{{ inventory_hostname }}/deploy-4", state: directory }
      remote_user: deploy
    - copy: { content: "3", dest: "{{ root }}/{{ inventory_hostname }}/admin-3" }
    - copy: { content: "1", dest: "{{ root }}/{{ inventory_hostname }}-local-1" }
      connection: local
    - file: { path: "{{ root }}/{{ inventory_hostname }}/admin-4", state: directory }
    - command: printenv RB_LOGIN
      register: as_play
      changed_when: false
    - command: printenv RB_LOGIN
      remote_user: deploy
      register: as_deploy
      changed_when: false
    - command: printenv RB_LOGIN
      connection: local
      register: as_local
      changed_when: false
    - assert:
        that:
          - as_play.stdout == 'admin'
          - as_deploy.stdout == 'deploy'
          - as_local.stdout == 'local'
          - ansible_user == 'admin'
          - ansible_connection == 'ssh'
`;

async function run(root: string, options: Partial<ExecutorOptions>): Promise<{ statuses: string[]; log: Map<string, string[]> }> {
  const dir = mkdtempSync(join(tmpdir(), "runbook-logins-play-"));
  writeFileSync(join(dir, "site.yaml"), PLAYBOOK);
  const log = new Map<string, string[]>();
  const events: RunEvent[] = [];
  await runPlaybook({
    playbook: loadPlaybook(join(dir, "site.yaml"), { catalog: moduleCatalog }),
    inventory: inventory("h1\nh2\n"),
    options: { ...defaultExecutorOptions, ...options, extraVars: { root, second_user: "deploy" } },
    listeners: [(event) => events.push(event)],
    transports: (host, login) => new LoginTransport(host, login?.connection === "local" ? "local" : (login?.user ?? "?"), log),
  });
  const statuses = events.flatMap((event) => (event.type === "task-result" ? [`${event.task.name} ${event.result.host} ${event.result.status}`] : []));
  return { statuses: statuses.sort(), log };
}

/** Commands recorded on one login's connection that name another login's files. */
function crossed(log: Map<string, string[]>): string[] {
  return [...log].flatMap(([key, commands]) => {
    const own = key.split("/")[1] ?? "";
    return commands.filter((command) => LABELS.some((label) => label !== own && command.includes(`${label}-`))).map((command) => `${key}: ${command}`);
  });
}

describe("two logins on one host, under read-ahead and batches", () => {
  const modes: [string, Partial<ExecutorOptions>][] = [
    ["read-ahead and batches", {}],
    ["RUNBOOK_BATCH=off", { batch: false }],
    ["RUNBOOK_READ_AHEAD=off", { readAhead: false, batch: false }],
  ];

  it("keeps each login's probes and steps on its own connection, and every setting gives the same results", { timeout: 60_000 }, async () => {
    const results = new Map<string, string[]>();
    for (const [name, options] of modes) {
      const root = mkdtempSync(join(tmpdir(), "runbook-logins-root-"));
      const first = await run(root, options);
      expect(crossed(first.log), name).toEqual([]);
      expect([...first.log.keys()].sort(), name).toEqual(["h1/admin", "h1/deploy", "h2/admin", "h2/deploy", "localhost/local"]);
      expect(first.statuses.filter((line) => line.endsWith(" failed")), name).toEqual([]);
      expect(readFileSync(join(root, "h1", "deploy-2"), "utf8")).toBe("2");
      const second = await run(root, options);
      expect(crossed(second.log), `${name}, second run`).toEqual([]);
      expect(second.statuses.filter((line) => line.endsWith(" changed")), `${name}, second run`).toEqual([]);
      results.set(name, [...first.statuses, "--", ...second.statuses]);
    }
    const [reference, ...others] = [...results.values()];
    for (const other of others) expect(other).toEqual(reference);
  });
});

describe("become under another login", () => {
  it("becomes root from a remote_user that is not root, though the facts were gathered as root", { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "runbook-logins-become-"));
    writeFileSync(join(dir, "site.yaml"), "- hosts: all\n  remote_user: root\n  tasks:\n    - command: id -un\n      become: true\n    - command: id -un\n      remote_user: deploy\n      become: true\n");
    const log = new Map<string, string[]>();
    await runPlaybook({
      playbook: loadPlaybook(join(dir, "site.yaml"), { catalog: moduleCatalog }),
      inventory: inventory("h1\n"),
      options: defaultExecutorOptions,
      listeners: [],
      transports: (host, login) => new LoginTransport(host, login?.user ?? "?", log),
    });
    const commands = (key: string): string[] => (log.get(key) ?? []).filter((command) => command.endsWith("id -un"));
    // root needs no sudo to be root (the facts say it is root); deploy does
    expect(commands("h1/root")).toEqual(["id -un"]);
    expect(commands("h1/deploy")).toEqual(["[become root] id -un"]);
  });
});

describe("a command over another login changes the host", () => {
  // every login here is the controller: a local command writes the file the host's probe read ahead
  const playbook = `
- hosts: all
  gather_facts: false
  tasks:
    - file: { path: "{{ root }}/h1", state: directory }
    - shell: "printf 'new\\\\n' > {{ root }}/h1/conf"
      connection: local
    - shell: "printf 'newer\\\\n' > {{ root }}/h1/conf"
      delegate_to: localhost
      when: second | default(false)
    - name: restore
      copy: { content: "old\\n", dest: "{{ root }}/h1/conf" }
`;

  it.each([
    ["read-ahead", {}],
    ["RUNBOOK_READ_AHEAD=off", { readAhead: false, batch: false }],
  ])("%s: what was read from the host ahead no longer holds after a local or delegated command", { timeout: 60_000 }, async (_name, options: Partial<ExecutorOptions>) => {
    const dir = mkdtempSync(join(tmpdir(), "runbook-logins-local-"));
    writeFileSync(join(dir, "site.yaml"), playbook);
    for (const second of [false, true]) {
      const root = mkdtempSync(join(tmpdir(), "runbook-logins-local-root-"));
      mkdirSync(join(root, "h1"));
      writeFileSync(join(root, "h1", "conf"), "old\n");
      const events: RunEvent[] = [];
      await runPlaybook({
        playbook: loadPlaybook(join(dir, "site.yaml"), { catalog: moduleCatalog }),
        inventory: inventory("h1\n"),
        options: { ...defaultExecutorOptions, ...options, extraVars: { root, second } },
        listeners: [(event) => events.push(event)],
        transports: (host) => new LocalTransport(host),
      });
      const restore = events.find((event) => event.type === "task-result" && event.task.name === "restore");
      expect(restore?.type === "task-result" ? restore.result.status : undefined, `second: ${second}`).toBe("changed");
      expect(readFileSync(join(root, "h1", "conf"), "utf8")).toBe("old\n");
    }
  });
});

describe("facts and logins", () => {
  it("a play that logs in otherwise gathers the facts again: the first play's were another machine's", { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "runbook-logins-facts-"));
    writeFileSync(join(dir, "site.yaml"), "- hosts: all\n  connection: local\n  tasks: []\n- hosts: all\n  tasks: []\n- hosts: all\n  tasks: []\n");
    const events: RunEvent[] = [];
    await runPlaybook({
      playbook: loadPlaybook(join(dir, "site.yaml"), { catalog: moduleCatalog }),
      inventory: inventory("h1\n"),
      options: defaultExecutorOptions,
      listeners: [(event) => events.push(event)],
      transports: (host) => new LocalTransport(host),
    });
    const gathered = events.filter((event) => event.type === "task-result" && event.task.name === "Gathering Facts");
    // the local play's, then the ssh play's; the third play logs in as the second did and reuses them
    expect(gathered.length).toBe(2);
  });
});
