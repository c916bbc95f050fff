/**
 * The run's connections, one per login: a host's inventory user, another `remote_user`, or a
 * local shell (`connection: local`). Each is opened when a task first needs it, shared by every
 * task (and delegated task) that logs in the same way, and all are closed together at the end.
 *
 * A transport whose connection dropped stays dropped (transport/ssh.ts): the host is then
 * unreachable for the rest of the run. Only a task that expects the host to go away and come
 * back (reboot, wait_for_connection: reconnect.ts) puts a new one in its place with `replace`.
 */
import { userInfo } from "node:os";
import { connectionSettings, type ConnectionSettings } from "../inventory/connection.js";
import type { Inventory, Vars } from "../inventory/types.js";
import { createTransport, type JumpSettings } from "../transport/connect.js";
import { LocalTransport } from "../transport/local.js";
import type { Transport } from "../transport/types.js";

export interface ConnectionDefaults {
  readonly hostKeyChecking?: "strict" | "accept-new" | "off" | undefined;
  readonly connectTimeoutSeconds?: number | undefined;
  /** `-u/--user`: the login where neither the inventory nor a `remote_user` names one. */
  readonly user?: string | undefined;
}

/** Settings a replacing connection may set for itself (reboot's connect_timeout). */
export interface ConnectionOverrides {
  readonly connectTimeoutSeconds?: number | undefined;
}

/**
 * How a task's commands reach its host. Two tasks share a connection (and read-ahead results,
 * and a batch) only when their logins' keys are equal.
 */
export interface Login {
  readonly connection: "ssh" | "local";
  /** Who runs the commands before any become: the ssh user, or locally the controller's user. */
  readonly user: string;
  /** A local login's transport name: the inventory host's own (ansible_connection=local), else localhost. */
  readonly via?: string | undefined;
}

/** The `remote_user` and `connection` keywords that apply to a task, rendered. */
export interface LoginKeywords {
  readonly user?: string | undefined;
  /** The user the task's variables name (ansible_user with Ansible's precedence): final when given. */
  readonly resolvedUser?: string | undefined;
  readonly connection?: "ssh" | "local" | undefined;
}

export function loginKey(login: Login): string {
  // NUL cannot occur in a user name or host name, so the key is unambiguous
  return login.connection === "local" ? `local\u0000${login.via ?? "localhost"}` : `ssh\u0000${login.user}`;
}

export function sameLogin(a: Login, b: Login): boolean {
  return loginKey(a) === loginKey(b);
}

/** Makes a host's transport in place of ssh/local (a test or a synthetic bench answering from recorded output). */
export type TransportFactory = (host: string, login?: Login) => Transport;

export class Connections {
  private readonly transports = new Map<string, Transport>();
  private readonly settings = new Map<string, { readonly settings: ConnectionSettings; readonly explicitConnection: boolean }>();
  private readonly controllerUser = userInfo().username;

  constructor(
    private readonly inventory: Inventory,
    private readonly defaults: ConnectionDefaults = {},
    /** -e vars win over the inventory's, also for connection settings (`-e ansible_user=deploy`), as in Ansible. */
    private readonly extraVars: Vars = {},
    private readonly factory?: TransportFactory | undefined,
  ) {}

  /**
   * The login for `host` given the task's keywords. As in Ansible, the host's own variables
   * (inventory, -e) win: `ansible_user` over `remote_user`, which wins over `-u`;
   * `ansible_connection` over `connection`. `localhost` outside the inventory is the controller.
   */
  login(host: string, keywords: LoginKeywords = {}): Login {
    const known = this.settingsOf(host);
    if (known === undefined) return { connection: "local", user: this.controllerUser, via: host };
    const connection = known.explicitConnection ? known.settings.connection : (keywords.connection ?? "ssh");
    if (connection === "local") return { connection, user: this.controllerUser, via: known.explicitConnection ? host : "localhost" };
    return { connection, user: keywords.resolvedUser ?? known.settings.user ?? keywords.user ?? this.defaults.user ?? this.controllerUser };
  }

  /** The transport for a login to `host` (its inventory login when none is given), opened on first use. */
  get(host: string, login: Login = this.login(host)): Transport {
    const key = poolKey(host, login);
    let transport = this.transports.get(key);
    if (!transport) {
      transport = this.create(host, login);
      this.transports.set(key, transport);
    }
    return transport;
  }

  /**
   * A new, not yet connected transport for `login` to `host` in place of the one the run holds:
   * every later `get` returns it. The host's other ssh logins went down with it (a reboot): they
   * are closed and forgotten, to be opened again when a task needs them. Old transports are
   * closed without waiting (their peer may be gone).
   */
  replace(host: string, login: Login = this.login(host), overrides: ConnectionOverrides = {}): Transport {
    const key = poolKey(host, login);
    for (const [other, old] of this.transports) {
      if (other === key || other.startsWith(`${host}\u0000`)) {
        void old.close().catch(() => undefined);
        this.transports.delete(other);
      }
    }
    const transport = this.create(host, login, overrides);
    this.transports.set(key, transport);
    return transport;
  }

  /** How many connections the run has made (for tests and -vvv). */
  get size(): number {
    return this.transports.size;
  }

  async closeAll(): Promise<void> {
    await Promise.allSettled([...this.transports.values()].map((transport) => transport.close()));
    this.transports.clear();
  }

  private settingsOf(host: string): { readonly settings: ConnectionSettings; readonly explicitConnection: boolean } | undefined {
    let known = this.settings.get(host);
    if (known === undefined) {
      if (!this.inventory.hosts.has(host)) {
        if (host === "localhost" || host === "127.0.0.1") return undefined;
        throw new Error(`unknown host '${host}'`);
      }
      const vars = { ...this.inventory.hostVars(host), ...this.extraVars };
      const explicitConnection = vars["ansible_connection"] !== undefined && vars["ansible_connection"] !== null;
      known = { settings: connectionSettings(vars, host), explicitConnection };
      this.settings.set(host, known);
    }
    return known;
  }

  private create(host: string, login: Login, overrides: ConnectionOverrides = {}): Transport {
    if (this.factory) return this.factory(login.connection === "local" ? (login.via ?? host) : host, login);
    if (login.connection === "local") return new LocalTransport(login.via ?? host);
    const settings = this.settingsOf(host)?.settings;
    if (settings === undefined) throw new Error(`unknown host '${host}'`);
    return createTransport({
      host,
      address: settings.host,
      port: settings.port,
      user: login.user,
      privateKeyFile: settings.privateKeyFile,
      connection: "ssh",
      knownHostsFile: settings.knownHostsFile,
      hostKeyChecking: this.defaults.hostKeyChecking ?? settings.hostKeyChecking,
      proxyJump: jumpSettings(settings),
      connectTimeoutSeconds: overrides.connectTimeoutSeconds ?? settings.connectTimeoutSeconds ?? this.defaults.connectTimeoutSeconds,
    });
  }
}

/** Where a login's transport sits in the pool: one local shell per name, one ssh connection per host and user. */
function poolKey(host: string, login: Login): string {
  return login.connection === "local" ? loginKey(login) : `${host}\u0000${loginKey(login)}`;
}

/** `[user@]host[:port]` as ssh -J takes it. */
function jumpSettings(settings: ConnectionSettings): JumpSettings | undefined {
  if (!settings.proxyJump) return undefined;
  const match = /^(?:([^@]+)@)?(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(settings.proxyJump.trim());
  if (!match) throw new Error(`cannot read jump host '${settings.proxyJump}' (expected [user@]host[:port])`);
  const [, user, address, port] = match;
  return { address: (address ?? "").replace(/^\[|\]$/g, ""), user, port: port ? Number(port) : undefined };
}
