/** Chooses the transport for a host from its connection settings (inventory + command line). */
import { homedir } from "node:os";
import { join } from "node:path";
import type { HostKeyChecking } from "./host-key.js";
import { LocalTransport } from "./local.js";
import { SshTransport, type SshOptions } from "./ssh.js";
import type { Transport } from "./types.js";

export interface JumpSettings {
  readonly address: string;
  readonly port?: number | undefined;
  readonly user?: string | undefined;
  readonly privateKeyFile?: string | undefined;
}

export interface TransportSettings {
  /** Inventory name. */
  readonly host: string;
  readonly address: string;
  readonly port: number;
  readonly user: string;
  readonly privateKeyFile?: string | undefined;
  readonly connection: "ssh" | "local";
  readonly knownHostsFile?: string | undefined;
  readonly hostKeyChecking?: HostKeyChecking | undefined;
  /** A bastion: the target's user and key are used where the bastion names none. */
  readonly proxyJump?: JumpSettings | undefined;
  readonly connectTimeoutSeconds?: number | undefined;
  readonly commandTimeoutSeconds?: number | undefined;
}

export const DEFAULT_CONNECT_TIMEOUT_SECONDS = 10;

export function defaultKnownHostsFile(): string {
  return join(homedir(), ".ssh", "known_hosts");
}

export function createTransport(settings: TransportSettings): Transport {
  if (settings.connection === "local") return new LocalTransport(settings.host);
  return new SshTransport(sshOptions(settings));
}

/** The SshOptions for `settings`, filling defaults: ~/.ssh/known_hosts, strict checking, 10 s connect timeout. */
export function sshOptions(settings: TransportSettings): SshOptions {
  const common = {
    knownHostsFile: settings.knownHostsFile ?? defaultKnownHostsFile(),
    hostKeyChecking: settings.hostKeyChecking ?? "strict",
    connectTimeoutMs: (settings.connectTimeoutSeconds ?? DEFAULT_CONNECT_TIMEOUT_SECONDS) * 1000,
  } as const;
  const jump = settings.proxyJump;
  return {
    ...common,
    host: settings.host,
    address: settings.address,
    port: settings.port,
    user: settings.user,
    privateKeyFile: settings.privateKeyFile,
    commandTimeoutMs: settings.commandTimeoutSeconds === undefined ? undefined : settings.commandTimeoutSeconds * 1000,
    proxyJump:
      jump === undefined
        ? undefined
        : {
            ...common,
            host: `${settings.host} (jump host ${jump.address})`,
            address: jump.address,
            port: jump.port ?? 22,
            user: jump.user ?? settings.user,
            privateKeyFile: jump.privateKeyFile ?? settings.privateKeyFile,
          },
  };
}
