/** The operating system from /etc/os-release, named the way Ansible names it. */

/** os-release ID -> Ansible's ansible_distribution. */
const DISTRIBUTIONS: Readonly<Record<string, string>> = {
  debian: "Debian",
  ubuntu: "Ubuntu",
  linuxmint: "Linux Mint",
  raspbian: "Debian",
  kali: "Kali",
  fedora: "Fedora",
  centos: "CentOS",
  rhel: "RedHat",
  rocky: "Rocky",
  almalinux: "AlmaLinux",
  ol: "OracleLinux",
  amzn: "Amazon",
  alpine: "Alpine",
  arch: "Archlinux",
  manjaro: "Manjaro",
  "opensuse-leap": "openSUSE Leap",
  "opensuse-tumbleweed": "openSUSE Tumbleweed",
  sles: "SLES",
};

/** os-release ID (or an ID_LIKE word) -> Ansible's ansible_os_family. */
const FAMILIES: Readonly<Record<string, string>> = {
  debian: "Debian",
  ubuntu: "Debian",
  linuxmint: "Debian",
  raspbian: "Debian",
  kali: "Debian",
  fedora: "RedHat",
  centos: "RedHat",
  rhel: "RedHat",
  rocky: "RedHat",
  almalinux: "RedHat",
  ol: "RedHat",
  amzn: "RedHat",
  alpine: "Alpine",
  arch: "Archlinux",
  manjaro: "Archlinux",
  suse: "Suse",
  opensuse: "Suse",
  "opensuse-leap": "Suse",
  "opensuse-tumbleweed": "Suse",
  sles: "Suse",
};

/** KEY=value lines with optional single or double quotes (os-release(5)). */
export function parseOsRelease(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const match = /^\s*([A-Z0-9_]+)=(.*)$/.exec(line);
    if (!match?.[1] || match[2] === undefined) continue;
    values[match[1]] = unquote(match[2].trim());
  }
  return values;
}

function unquote(value: string): string {
  const quote = value[0];
  if ((quote === '"' || quote === "'") && value.endsWith(quote) && value.length >= 2) {
    const inner = value.slice(1, -1);
    return quote === '"' ? inner.replace(/\\(["\\$`])/g, "$1") : inner;
  }
  return value;
}

export interface OsFacts {
  readonly family: string;
  readonly distribution: string;
  readonly version: string;
  readonly majorVersion: string;
  readonly codename?: string | undefined;
}

/**
 * From os-release plus the finer version files Ansible prefers (/etc/debian_version "12.5",
 * /etc/redhat-release "CentOS Linux release 7.9.2009 (Core)").
 */
export function osFacts(osRelease: Record<string, string>, debianVersion = "", redhatRelease = ""): OsFacts {
  const id = (osRelease.ID ?? "").toLowerCase();
  const distribution = DISTRIBUTIONS[id] ?? (osRelease.NAME || "Unknown");
  const likes = (osRelease.ID_LIKE ?? "").toLowerCase().split(/\s+/);
  const family = FAMILIES[id] ?? likes.map((like) => FAMILIES[like]).find((f) => f !== undefined) ?? distribution;
  const version = finerVersion(id, osRelease.VERSION_ID ?? "", debianVersion, redhatRelease);
  return {
    family,
    distribution,
    version,
    majorVersion: version.split(".")[0] ?? "",
    codename: osRelease.VERSION_CODENAME || osRelease.UBUNTU_CODENAME || codenameInVersion(osRelease.VERSION),
  };
}

function finerVersion(id: string, versionId: string, debianVersion: string, redhatRelease: string): string {
  const debian = debianVersion.trim();
  if (id === "debian" && /^\d+(\.\d+)*$/.test(debian) && debian.startsWith(versionId)) return debian;
  const redhat = /release (\d+(?:\.\d+)*)/.exec(redhatRelease)?.[1];
  if (redhat !== undefined && versionId !== "" && redhat.startsWith(versionId)) return redhat;
  return versionId;
}

/** "7 (Core)" -> "Core", "12 (bookworm)" -> "bookworm". */
function codenameInVersion(version: string | undefined): string | undefined {
  return version === undefined ? undefined : (/\(([^)]+)\)/.exec(version)?.[1] ?? undefined);
}
