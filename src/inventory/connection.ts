/**
 * How to reach a host, read from its variables with Ansible's names (and a few runbook_*
 * ones): address, port, user, key, become, host-key policy, jump host, timeout.
 * `ansible_python_interpreter` and other variables are left to whoever needs them.
 */
import { homedir } from "node:os";
import { ParseError, type SourceLocation } from "../errors.js";
import type { Vars } from "./types.js";
import { splitShellWords } from "../source/shell-words.js";
import { asBoolean, asOneOf, asPort, asSeconds, asText, CONNECTION_TYPES, HOST_KEY_CHECKING, VarTypeProblem } from "./var-checks.js";

export type HostKeyChecking = (typeof HOST_KEY_CHECKING)[number];

export interface ConnectionSettings {
  /** The address to connect to: ansible_host, else the inventory name. */
  readonly host: string;
  readonly port: number;
  readonly user?: string | undefined;
  readonly password?: string | undefined;
  /** Absolute, or `~/`-expanded; relative paths were resolved against the defining inventory file at load. */
  readonly privateKeyFile?: string | undefined;
  /** `local` only when ansible_connection says so. */
  readonly connection: "ssh" | "local";
  readonly become: boolean;
  readonly becomeUser?: string | undefined;
  readonly becomePassword?: string | undefined;
  readonly knownHostsFile?: string | undefined;
  readonly hostKeyChecking?: HostKeyChecking | undefined;
  /** `[user@]host[:port]` of a jump host (ssh -J). */
  readonly proxyJump?: string | undefined;
  readonly connectTimeoutSeconds?: number | undefined;
}

/** Throws ParseError (at `where`, if given) when a connection variable has the wrong type. */
export function connectionSettings(vars: Vars, host: string, where?: SourceLocation): ConnectionSettings {
  try {
    return readSettings(new VarReader(vars), host);
  } catch (error) {
    if (!(error instanceof VarTypeProblem)) throw error;
    throw new ParseError(`host '${host}': ${error.message}`, { location: where, hint: error.hint });
  }
}

function readSettings(vars: VarReader, host: string): ConnectionSettings {
  const connection = vars.first(["ansible_connection"], (name, value) => asOneOf(name, value, CONNECTION_TYPES));
  vars.first(["ansible_become_method"], (name, value) => asOneOf(name, value, ["sudo"]));
  return {
    host: vars.first(["ansible_host", "ansible_ssh_host"], asText) ?? host,
    port: vars.first(["ansible_port", "ansible_ssh_port"], asPort) ?? 22,
    user: vars.first(["ansible_user", "ansible_ssh_user"], asText),
    password: vars.first(["ansible_password", "ansible_ssh_pass", "ansible_ssh_password"], asText),
    privateKeyFile: expandHome(vars.first(["ansible_ssh_private_key_file", "ansible_private_key_file"], asText)),
    connection: connection === "local" ? "local" : "ssh",
    become: vars.first(["ansible_become"], asBoolean) ?? false,
    becomeUser: vars.first(["ansible_become_user"], asText),
    becomePassword: vars.first(["ansible_become_password", "ansible_become_pass", "ansible_sudo_pass"], asText),
    knownHostsFile: expandHome(vars.first(["runbook_known_hosts_file"], asText)),
    hostKeyChecking: hostKeyChecking(vars),
    proxyJump: vars.first(["runbook_proxy_jump"], asText) ?? proxyJumpFromArgs(vars.all),
    connectTimeoutSeconds: vars.first(["ansible_ssh_timeout", "ansible_timeout"], asSeconds),
  };
}

/** runbook_host_key_checking, else Ansible's boolean host_key_checking (true: strict, false: off). */
function hostKeyChecking(vars: VarReader): HostKeyChecking | undefined {
  const own = vars.first(["runbook_host_key_checking"], (name, value) => asOneOf(name, value, HOST_KEY_CHECKING));
  if (own !== undefined) return own;
  const ansible = vars.first(["ansible_ssh_host_key_checking", "ansible_host_key_checking"], asBoolean);
  return ansible === undefined ? undefined : ansible ? "strict" : "off";
}

/** The jump host in ansible_ssh_common_args / ansible_ssh_extra_args: `-J x`, `-o ProxyJump=x`, or `ProxyCommand="ssh -W %h:%p x"`. */
export function proxyJumpFromArgs(vars: Vars): string | undefined {
  const reader = new VarReader(vars);
  for (const name of ["ansible_ssh_common_args", "ansible_ssh_extra_args"]) {
    const args = reader.first([name], asText);
    if (args === undefined) continue;
    const words = splitShellWords(args).map((word) => word.text);
    const found = proxyJumpIn(words);
    if (found !== undefined) return found;
  }
  return undefined;
}

function proxyJumpIn(words: readonly string[]): string | undefined {
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? "";
    if (word === "-J") return words[i + 1];
    if (word.startsWith("-J")) return word.slice(2);
    const option = word === "-o" ? words[i + 1] : word.startsWith("-o") ? word.slice(2) : undefined;
    const match = option === undefined ? null : /^(\w+)\s*[=\s]\s*(.+)$/.exec(option);
    if (match?.[1]?.toLowerCase() === "proxyjump") return match[2];
    if (match?.[1]?.toLowerCase() === "proxycommand") return jumpFromProxyCommand(match[2] ?? "");
  }
  return undefined;
}

/** `ssh [-p port] [-l user] -W %h:%p [-q] [user@]bastion` as a jump host; other commands are not understood. */
function jumpFromProxyCommand(command: string): string | undefined {
  const words = splitShellWords(command).map((word) => word.text);
  if (words[0] !== "ssh" || !words.includes("-W")) return undefined;
  let port: string | undefined;
  let user: string | undefined;
  let destination: string | undefined;
  for (let i = 1; i < words.length; i++) {
    const word = words[i] ?? "";
    if (word === "-p") port = words[++i];
    else if (word === "-l") user = words[++i];
    else if (word === "-W" || word === "-o" || word === "-i") i++;
    else if (!word.startsWith("-")) destination = word;
  }
  if (destination === undefined) return undefined;
  return `${user !== undefined && !destination.includes("@") ? `${user}@` : ""}${destination}${port !== undefined ? `:${port}` : ""}`;
}

function expandHome(path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  return path === "~" || path.startsWith("~/") ? homedir() + path.slice(1) : path;
}

class VarReader {
  constructor(readonly all: Vars) {}

  /** The first of `names` that is set (null counts as unset), checked by `read`. */
  first<T>(names: readonly string[], read: (name: string, value: unknown) => T): T | undefined {
    for (const name of names) {
      const value = this.all[name];
      if (value !== undefined && value !== null) return read(name, value);
    }
    return undefined;
  }
}
