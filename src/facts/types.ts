/** What runbook knows about a host after gathering facts (facts/gather.ts, one round trip). */

export interface AddressFacts {
  readonly address: string;
  readonly prefix: number;
}

export interface InterfaceFacts {
  readonly name: string;
  readonly mac?: string | undefined;
  readonly mtu?: number | undefined;
  readonly up: boolean;
  readonly ipv4: readonly AddressFacts[];
  readonly ipv6: readonly AddressFacts[];
}

export interface Facts {
  readonly hostname: string;
  readonly fqdn: string;
  readonly os: {
    /** Ansible's os_family: Debian, RedHat, Suse, Archlinux, Alpine, ... */
    readonly family: string;
    /** Ansible's distribution: Debian, Ubuntu, Fedora, CentOS, ... */
    readonly distribution: string;
    readonly version: string;
    readonly majorVersion: string;
    readonly codename?: string | undefined;
  };
  readonly packageManager: "apt" | "dnf" | "yum" | "apk" | "zypper" | "pacman" | "unknown";
  readonly serviceManager: "systemd" | "openrc" | "sysvinit" | "unknown";
  readonly kernel: string;
  readonly arch: string;
  readonly cpus: number;
  readonly memoryMb: number;
  /** The remote login user (`id -un`). */
  readonly user: string;
  readonly interfaces: Readonly<Record<string, InterfaceFacts>>;
  readonly defaultIpv4?: {
    readonly address: string;
    readonly interface: string;
    readonly gateway?: string | undefined;
  } | undefined;
}
