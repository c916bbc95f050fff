/**
 * One transport per host for the whole run, opened on first use and shared by every task
 * (and by tasks delegated to that host). Closed together at the end.
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
}

/** Settings a replacing connection may set for itself (reboot's connect_timeout). */
export interface ConnectionOverrides {
  readonly connectTimeoutSeconds?: number | undefined;
}

/** Makes a host's transport in place of ssh/local (a test or a synthetic bench answering from recorded output). */
export type TransportFactory = (host: string) => Transport;

export class Connections {
  private readonly transports = new Map<string, Transport>();

  constructor(
    private readonly inventory: Inventory,
    private readonly defaults: ConnectionDefaults = {},
    /** -e vars win over the inventory's, also for connection settings (`-e ansible_user=deploy`), as in Ansible. */
    private readonly extraVars: Vars = {},
    private readonly factory?: TransportFactory | undefined,
  ) {}

  /** The transport for an inventory host; `localhost` outside the inventory is the controller. */
  get(host: string): Transport {
    let transport = this.transports.get(host);
    if (!transport) {
      transport = this.create(host);
      this.transports.set(host, transport);
    }
    return transport;
  }

  /**
   * A new, not yet connected transport to `host` in place of the one the run holds: every later
   * `get` returns it. The old one is closed without waiting (its peer may be gone).
   */
  replace(host: string, overrides: ConnectionOverrides = {}): Transport {
    const old = this.transports.get(host);
    if (old) void old.close().catch(() => undefined);
    const transport = this.create(host, overrides);
    this.transports.set(host, transport);
    return transport;
  }

  async closeAll(): Promise<void> {
    await Promise.allSettled([...this.transports.values()].map((transport) => transport.close()));
    this.transports.clear();
  }

  private create(host: string, overrides: ConnectionOverrides = {}): Transport {
    if (this.factory) return this.factory(host);
    if (!this.inventory.hosts.has(host)) {
      if (host === "localhost" || host === "127.0.0.1") return new LocalTransport(host);
      throw new Error(`unknown host '${host}'`);
    }
    const settings = connectionSettings({ ...this.inventory.hostVars(host), ...this.extraVars }, host);
    return createTransport({
      host,
      address: settings.host,
      port: settings.port,
      user: settings.user ?? userInfo().username,
      privateKeyFile: settings.privateKeyFile,
      connection: settings.connection,
      knownHostsFile: settings.knownHostsFile,
      hostKeyChecking: this.defaults.hostKeyChecking ?? settings.hostKeyChecking,
      proxyJump: jumpSettings(settings),
      connectTimeoutSeconds: overrides.connectTimeoutSeconds ?? settings.connectTimeoutSeconds ?? this.defaults.connectTimeoutSeconds,
    });
  }
}

/** `[user@]host[:port]` as ssh -J takes it. */
function jumpSettings(settings: ConnectionSettings): JumpSettings | undefined {
  if (!settings.proxyJump) return undefined;
  const match = /^(?:([^@]+)@)?(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(settings.proxyJump.trim());
  if (!match) throw new Error(`cannot read jump host '${settings.proxyJump}' (expected [user@]host[:port])`);
  const [, user, address, port] = match;
  return { address: (address ?? "").replace(/^\[|\]$/g, ""), user, port: port ? Number(port) : undefined };
}
