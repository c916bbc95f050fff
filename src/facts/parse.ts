/** The pure half of fact gathering: the facts script's output (facts/gather.ts) -> Facts. */
import { freezeInterfaces, parseIpAddr, parseIpLink, parseIpRoute, parseProcRoute, parseSysNet, type InterfaceTable } from "./network.js";
import { osFacts, parseOsRelease } from "./os.js";
import type { Facts, ProcessorFacts } from "./types.js";

/** Each section of the facts script's output starts with this marker, a space and the section name. */
export const SECTION_MARKER = "@@runbook-fact";

/** Splits the script output into named sections (text after each marker line). */
export function splitSections(output: string): Map<string, string> {
  const sections = new Map<string, string>();
  let name: string | undefined;
  let lines: string[] = [];
  const flush = (): void => {
    if (name !== undefined) sections.set(name, lines.join("\n").trim());
  };
  for (const line of output.split("\n")) {
    if (line.startsWith(`${SECTION_MARKER} `)) {
      flush();
      name = line.slice(SECTION_MARKER.length + 1).trim();
      lines = [];
    } else {
      lines.push(line);
    }
  }
  flush();
  return sections;
}

const PACKAGE_MANAGERS: Readonly<Record<string, Facts["packageManager"]>> = {
  "apt-get": "apt",
  dnf: "dnf",
  yum: "yum",
  apk: "apk",
  zypper: "zypper",
  pacman: "pacman",
};

/** Ansible's rule in spirit: a running systemd wins, then what PID 1 is called. */
function serviceManager(init: string): Facts["serviceManager"] {
  const lines = init.split("\n").map((l) => l.trim());
  const comm = lines[0] ?? "";
  if (lines.includes("systemd-running") || comm === "systemd") return "systemd";
  if (comm === "openrc-init" || (comm === "init" && lines.includes("openrc-installed"))) return "openrc";
  if (comm === "init") return "sysvinit";
  return "unknown";
}

/**
 * Ansible's count from /proc/cpuinfo: sockets are the distinct `physical id`s, cores the first
 * socket's `cpu cores`, threads per core its `siblings` over that; without sockets every
 * `processor` entry counts as one.
 */
export function parseCpuinfo(text: string): ProcessorFacts | undefined {
  const fields = text.split("\n").map((line) => line.split(":").map((part) => part.trim()));
  const processors = fields.filter(([key]) => key === "processor").length;
  if (processors === 0) return undefined;
  const sockets = new Set(fields.filter(([key]) => key === "physical id").map(([, value]) => value));
  const first = (name: string): number => Number(fields.find(([key]) => key === name)?.[1] ?? NaN);
  if (sockets.size === 0) return { count: processors, cores: 1, threadsPerCore: 1, vcpus: processors };
  const cores = first("cpu cores") || 1;
  const threadsPerCore = Math.max(1, Math.floor((first("siblings") || cores) / cores));
  return { count: sockets.size, cores, threadsPerCore, vcpus: threadsPerCore * cores * sockets.size };
}

/** `env` output: NAME=value lines; a line without a name continues the value before it. */
export function parseEnv(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  let last: string | undefined;
  if (text === "") return env;
  for (const line of text.replace(/\n$/, "").split("\n")) {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(line);
    if (match?.[1] !== undefined) {
      last = match[1];
      env[last] = match[2] ?? "";
    } else if (last !== undefined) {
      env[last] += `\n${line}`;
    }
  }
  return env;
}

export function parseFacts(output: string): Facts {
  const section = (name: string): string => sections.get(name) ?? "";
  const sections = splitSections(output);
  const hostname = section("hostname").split("\n")[0]?.trim() ?? "";
  const table: InterfaceTable = new Map();
  parseIpLink(section("ip-link"), table);
  parseIpAddr(section("ip-addr"), table);
  parseSysNet(section("sys-net"), table);
  const interfaces = freezeInterfaces(table);
  const route = sections.has("ip-route") ? parseIpRoute(section("ip-route")) : parseProcRoute(section("proc-route"));
  const routeAddress = route ? interfaces[route.interface]?.ipv4[0]?.address : undefined;
  const memKb = Number(/MemTotal:\s+(\d+)/.exec(section("meminfo"))?.[1] ?? 0);
  return {
    hostname: hostname.split(".")[0] ?? hostname,
    fqdn: section("fqdn").split("\n")[0]?.trim() || hostname,
    os: osFacts(parseOsRelease(section("os-release")), section("debian-version"), section("redhat-release")),
    packageManager: PACKAGE_MANAGERS[section("pkg-mgr").trim()] ?? "unknown",
    serviceManager: serviceManager(section("init")),
    kernel: section("kernel"),
    arch: section("arch"),
    cpus: Number.parseInt(section("cpus"), 10) || 1,
    processors: parseCpuinfo(section("cpuinfo")),
    nodename: hostname,
    initName: section("init").split("\n")[0]?.trim() || undefined,
    env: parseEnv(section("env")),
    memoryMb: Math.floor(memKb / 1024),
    user: section("user"),
    interfaces,
    defaultIpv4:
      route && routeAddress !== undefined ? { address: routeAddress, interface: route.interface, gateway: route.gateway } : undefined,
  };
}
