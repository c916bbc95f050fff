import { homedir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ParseError } from "../../src/errors.js";
import { connectionSettings } from "../../src/inventory/connection.js";
import { loadInventories } from "../../src/inventory/load.js";
import { writeTree } from "./inventory-files.js";

describe("connectionSettings", () => {
  it("defaults to ssh on port 22 at the inventory name, without become", () => {
    expect(connectionSettings({}, "k18s01")).toEqual({ host: "k18s01", port: 22, connection: "ssh", become: false });
  });

  it("reads Ansible's variables, new names before the old aliases", () => {
    const settings = connectionSettings(
      {
        ansible_host: "192.168.0.33",
        ansible_ssh_host: "ignored",
        ansible_port: "2222",
        ansible_ssh_port: 22,
        ansible_user: "admin",
        ansible_ssh_user: "ignored",
        ansible_password: "pw",
        ansible_ssh_private_key_file: "/keys/id",
        ansible_become: "yes",
        ansible_become_user: "postgres",
        ansible_become_pass: "sudo-pw",
        ansible_ssh_timeout: 7,
        ansible_timeout: 30,
        ansible_python_interpreter: "/usr/bin/python3",
        runbook_known_hosts_file: "/known",
        runbook_host_key_checking: "accept-new",
      },
      "db",
    );
    expect(settings).toEqual({
      host: "192.168.0.33",
      port: 2222,
      user: "admin",
      password: "pw",
      privateKeyFile: "/keys/id",
      connection: "ssh",
      become: true,
      becomeUser: "postgres",
      becomePassword: "sudo-pw",
      knownHostsFile: "/known",
      hostKeyChecking: "accept-new",
      connectTimeoutSeconds: 7,
    });
  });

  it.each<[Record<string, unknown>, Partial<ReturnType<typeof connectionSettings>>]>([
    [{ ansible_ssh_host: "10.0.0.1", ansible_ssh_port: 2200, ansible_ssh_user: "old" }, { host: "10.0.0.1", port: 2200, user: "old" }],
    [{ ansible_connection: "local" }, { connection: "local" }],
    [{ ansible_connection: "smart" }, { connection: "ssh" }],
    [{}, { connection: "ssh" }],
    [{ ansible_become_password: "a", ansible_become_pass: "b" }, { becomePassword: "a" }],
    [{ ansible_private_key_file: "~/.ssh/id_ed25519" }, { privateKeyFile: join(homedir(), ".ssh/id_ed25519") }],
    [{ ansible_host_key_checking: false }, { hostKeyChecking: "off" }],
    [{ ansible_ssh_host_key_checking: "True" }, { hostKeyChecking: "strict" }],
    [{ runbook_host_key_checking: "off", ansible_host_key_checking: true }, { hostKeyChecking: "off" }],
    [{ ansible_timeout: "15" }, { connectTimeoutSeconds: 15 }],
    [{ ansible_user: 1000 }, { user: "1000" }],
    [{ ansible_port: null }, { port: 22 }],
  ])("%j gives %j", (vars, expected) => {
    expect(connectionSettings(vars, "h")).toMatchObject(expected);
  });

  it("does not treat localhost as local unless ansible_connection says so", () => {
    expect(connectionSettings({}, "localhost").connection).toBe("ssh");
    expect(connectionSettings({}, "127.0.0.1").connection).toBe("ssh");
  });

  it.each<[Record<string, unknown>, string | undefined]>([
    [{ runbook_proxy_jump: "jump@bastion:2200" }, "jump@bastion:2200"],
    [{ ansible_ssh_common_args: "-o ProxyJump=admin@bastion" }, "admin@bastion"],
    [{ ansible_ssh_common_args: "-oProxyJump=bastion" }, "bastion"],
    [{ ansible_ssh_common_args: "-o StrictHostKeyChecking=no -J gw1,gw2" }, "gw1,gw2"],
    [{ ansible_ssh_extra_args: "-Jgw" }, "gw"],
    [{ ansible_ssh_common_args: "-o 'ProxyJump gw'" }, "gw"],
    [{ ansible_ssh_common_args: "-o ProxyCommand=\"ssh -W %h:%p -q user@bastion\"" }, "user@bastion"],
    [{ ansible_ssh_common_args: "-o ProxyCommand=\"ssh -p 2200 -l ops -W %h:%p bastion\"" }, "ops@bastion:2200"],
    [{ ansible_ssh_common_args: "-o ProxyCommand=\"nc -x proxy %h %p\"" }, undefined],
    [{ ansible_ssh_common_args: "-o StrictHostKeyChecking=no" }, undefined],
    [{ runbook_proxy_jump: "own", ansible_ssh_common_args: "-J other" }, "own"],
  ])("finds the jump host in %j", (vars, expected) => {
    expect(connectionSettings(vars, "h").proxyJump).toBe(expected);
  });

  it.each<[Record<string, unknown>, RegExp, RegExp]>([
    [{ ansible_port: 22.5 }, /host 'h': ansible_port must be a port number, got number 22.5/, /1 to 65535/],
    [{ ansible_port: "70000" }, /ansible_port must be a port number/, /1 to 65535/],
    [{ ansible_become: "sometimes" }, /ansible_become must be a boolean/, /true or false/],
    [{ ansible_connection: "winrm" }, /ansible_connection must be one of ssh, smart, paramiko, local/, /local/],
    [{ ansible_become_method: "su" }, /ansible_become_method must be one of sudo/, /sudo/],
    [{ runbook_host_key_checking: "yes" }, /runbook_host_key_checking must be one of strict, accept-new, off/, /strict or accept-new or off/],
    [{ ansible_ssh_timeout: 0 }, /must be a positive number of seconds/, /10/],
    [{ ansible_host: ["a"] }, /ansible_host must be a non-empty string, got a list/, /string/],
  ])("rejects %j", (vars, message, hint) => {
    const where = { file: "play.yml", line: 3, column: 5 };
    let caught: unknown;
    try {
      connectionSettings(vars, "h", where);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ParseError);
    expect((caught as ParseError).message).toMatch(message);
    expect((caught as ParseError).hint).toMatch(hint);
    expect((caught as ParseError).location).toEqual(where);
  });

  it("reads the k18s sample's settings, with the key file resolved against the inventory", () => {
    const dir = join(import.meta.dirname, "../fixtures/inventory/k18s");
    const inventory = loadInventories([join(dir, "hosts.ini")]);
    expect(connectionSettings(inventory.hostVars("k18s02"), "k18s02")).toEqual({
      host: "192.168.0.34",
      port: 22,
      user: "root",
      privateKeyFile: join(dir, "keys/k18s_ed25519"),
      connection: "ssh",
      become: false,
    });
  });

  it("resolves relative paths in host_vars against the inventory directory", () => {
    const root = writeTree({ "inv/hosts.ini": "h\n", "inv/host_vars/h.yml": "runbook_known_hosts_file: known_hosts\n" });
    const inventory = loadInventories([join(root, "inv/hosts.ini")]);
    expect(connectionSettings(inventory.hostVars("h"), "h").knownHostsFile).toBe(join(root, "inv/known_hosts"));
  });
});
