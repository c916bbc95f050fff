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

export interface ProcessorFacts {
  readonly count: number;
  readonly cores: number;
  readonly threadsPerCore: number;
  readonly vcpus: number;
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
  /** Processors online for this process (nproc): Ansible's processor_nproc. */
  readonly cpus: number;
  /** /proc/cpuinfo's sockets, cores and threads, as Ansible counts them. */
  readonly processors?: ProcessorFacts | undefined;
  /** The kernel's node name (`uname -n`), before the hostname is cut at its first dot. */
  readonly nodename?: string | undefined;
  /** PID 1's name (/proc/1/comm): Ansible's service_mgr when it is none runbook knows (tini, dumb-init). */
  readonly initName?: string | undefined;
  /** The login environment the facts were gathered in (Ansible's ansible_env). */
  readonly env?: Readonly<Record<string, string>> | undefined;
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
