/** What the machine must offer before a lab can be made: root, namespaces, overlayfs, tools. */
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { OptionsError, RunbookError } from "../errors.js";
import { requireTools } from "./tools.js";
import type { InitKind } from "./state.js";

const NAMESPACES = ["net", "uts", "ipc", "mnt", "pid", "cgroup"];

export function requireRoot(): void {
  if (typeof process.getuid === "function" && process.getuid() !== 0) {
    throw new OptionsError("runbook lab needs root: it makes namespaces, bridges and mounts", {
      hint: "run as root (for example: sudo runbook lab up)",
    });
  }
}

export function requireKernel(): void {
  const missing = NAMESPACES.filter((ns) => !existsSync(`/proc/self/ns/${ns}`));
  if (missing.length > 0) {
    throw new RunbookError("runtime", `this kernel lacks ${missing.join(", ")} namespaces`, {
      hint: "the lab needs a Linux kernel with CONFIG_NAMESPACES (net, uts, ipc, mount, pid, cgroup)",
    });
  }
  const filesystems = readFileSync("/proc/filesystems", "utf8");
  if (!/\toverlay$/m.test(filesystems)) {
    throw new RunbookError("runtime", "this kernel lacks overlayfs", {
      hint: "load it (modprobe overlay) or use a kernel with CONFIG_OVERLAY_FS",
    });
  }
}

export function toolsFor(init: InitKind, nat: boolean): string[] {
  const tools = ["ip", "unshare", "nsenter", "mount", "umount", "sshd", "depmod"];
  if (init === "light") tools.push("tini");
  if (init === "systemd") tools.push("systemd-nspawn", "debootstrap");
  if (nat) tools.push("nft", "sysctl");
  return tools;
}

/**
 * Overlay option strings cannot carry ',' ':' or whitespace, and the state directory must not
 * sit inside a directory the hosts overlay (the upper layer would be inside the lower one).
 */
export function checkStateRoot(root: string): void {
  const absolute = resolve(root);
  if (/[,:\s\\]/.test(absolute)) {
    throw new OptionsError(`the lab state directory ${absolute} contains ',', ':', '\\' or whitespace`, {
      hint: "run the lab from a project directory whose path has none of these",
    });
  }
  for (const overlaid of ["/etc", "/var", "/usr", "/opt"]) {
    if (absolute === overlaid || absolute.startsWith(`${overlaid}/`)) {
      throw new OptionsError(`the lab state directory ${absolute} lies inside ${overlaid}, which lab hosts overlay`, {
        hint: "run the lab from a project directory outside /etc, /var, /usr and /opt",
      });
    }
  }
}

export function preflight(init: InitKind, nat: boolean, stateRoot: string): void {
  requireRoot();
  requireKernel();
  requireTools(toolsFor(init, nat));
  checkStateRoot(stateRoot);
}

/** Why a lab cannot be made here (not root, no namespaces, a missing tool), or undefined when it can. */
export function labUnavailableReason(init: InitKind = "light", nat = false, stateRoot = "."): string | undefined {
  try {
    preflight(init, nat, stateRoot);
    return undefined;
  } catch (error) {
    if (error instanceof RunbookError) return `${error.message}${error.hint ? ` (${error.hint})` : ""}`;
    throw error;
  }
}
