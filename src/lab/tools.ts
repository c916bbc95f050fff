/**
 * The machine's tools the lab drives, and the Debian package that provides each, so a missing
 * tool turns into "install package X" instead of a bare ENOENT.
 */
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import { RunbookError } from "../errors.js";

export const TOOL_PACKAGES: Readonly<Record<string, string>> = {
  ip: "iproute2",
  bridge: "iproute2",
  unshare: "util-linux",
  nsenter: "util-linux",
  mount: "mount",
  umount: "mount",
  nft: "nftables",
  sshd: "openssh-server",
  "ssh-keygen": "openssh-client",
  ssh: "openssh-client",
  tini: "tini",
  depmod: "kmod",
  "systemd-nspawn": "systemd-container",
  debootstrap: "debootstrap",
  sysctl: "procps",
};

const SEARCH_PATH = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"];

function searchPath(): string[] {
  return [...(process.env.PATH ?? "").split(delimiter).filter(Boolean), ...SEARCH_PATH];
}

/** The absolute path of `tool` on PATH (plus the sbin directories), or undefined. */
export function findTool(tool: string, dirs: readonly string[] = searchPath()): string | undefined {
  for (const dir of dirs) {
    const candidate = join(dir, tool);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; keep looking
    }
  }
  return undefined;
}

/** Throws one RunbookError naming every missing tool and the Debian packages to install. */
export function requireTools(tools: readonly string[], dirs: readonly string[] = searchPath()): void {
  const missing = tools.filter((tool) => findTool(tool, dirs) === undefined);
  if (missing.length === 0) return;
  const packages = [...new Set(missing.map((tool) => TOOL_PACKAGES[tool] ?? tool))];
  throw new RunbookError("runtime", `the lab needs ${missing.join(", ")}, not found on this machine`, {
    hint: `install it: apt-get install ${packages.join(" ")} (or run scripts/install-deps.sh as root)`,
  });
}
