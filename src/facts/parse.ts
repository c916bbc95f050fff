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

/**
 * The shell's `export -p`: `export NAME='value'` (dash, busybox: a quote inside is '\\''), or
 * `export NAME="value"` / `declare -x NAME="value"` (bash: \\ escapes " \\ $ `); a value may
 * span lines inside its quotes. Names exported without a value are left out, as env leaves them.
 */
export function parseEnv(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  const entry = /(?:^|\n)(?:export|declare -x) ([A-Za-z_][A-Za-z0-9_]*)(=?)/g;
  let match: RegExpExecArray | null;
  while ((match = entry.exec(text)) !== null) {
    if (match[2] !== "=") continue;
    const [value, end] = shellWord(text, entry.lastIndex);
    env[match[1] as string] = value;
    entry.lastIndex = end;
  }
  return env;
}

const ANSI_C_ESCAPES: Readonly<Record<string, string>> = { n: "\n", t: "\t", r: "\r", a: "\x07", b: "\b", e: "\x1b", f: "\f", v: "\v" };

/** bash's $'...' (how it exports a value with a newline): backslash escapes up to the closing quote. */
function ansiC(text: string, start: number): [string, number] {
  let value = "";
  let i = start;
  while (i < text.length && text[i] !== "'") {
    if (text[i] === "\\") {
      const next = text[i + 1] ?? "";
      value += ANSI_C_ESCAPES[next] ?? next;
      i += 2;
    } else {
      value += text[i];
      i++;
    }
  }
  return [value, i + 1];
}

/** One shell word from `start`: '...' literally, $'...' as bash writes it, "..." with backslash escapes, \\x; up to a blank outside quotes. */
function shellWord(text: string, start: number): [string, number] {
  let value = "";
  let i = start;
  while (i < text.length && text[i] !== "\n" && text[i] !== " ") {
    const char = text[i] as string;
    if (char === "$" && text[i + 1] === "'") {
      const [quoted, end] = ansiC(text, i + 2);
      value += quoted;
      i = end;
    } else if (char === "'") {
      const close = text.indexOf("'", i + 1);
      const stop = close < 0 ? text.length : close;
      value += text.slice(i + 1, stop);
      i = stop + 1;
    } else if (char === '"') {
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === "\\" && '"\\$`'.includes(text[i + 1] ?? "")) i++;
        value += text[i];
        i++;
      }
      i++;
    } else if (char === "\\") {
      value += text[i + 1] ?? "";
      i += 2;
    } else {
      value += char;
      i++;
    }
  }
  return [value, i];
}

/**
 * `ip -o -batch -` of `addr show` and `link show` (the facts script's one `ip` for both): a link
 * line's third field is its flags, `<BROADCAST,UP,...>`; an address line's is its family.
 */
export function splitAddrLink(text: string): [links: string, addresses: string] {
  const links: string[] = [];
  const addresses: string[] = [];
  for (const line of text.split("\n")) (line.trim().split(/\s+/)[2]?.startsWith("<") ? links : addresses).push(line);
  return [links.join("\n"), addresses.join("\n")];
}

/** The facts script's one `ip -o -batch -` with `route show default` too: the route lines are those that do not start with an interface index. */
export function splitRoutes(text: string): [tables: string, routes: string] {
  const tables: string[] = [];
  const routes: string[] = [];
  for (const line of text.split("\n")) (/^\d+:/.test(line) ? tables : routes).push(line);
  return [tables.join("\n"), routes.join("\n")];
}

export function parseFacts(output: string): Facts {
  const section = (name: string): string => sections.get(name) ?? "";
  const sections = splitSections(output);
  const hostname = section("hostname").split("\n")[0]?.trim() ?? "";
  const table: InterfaceTable = new Map();
  const [tables, routes] = sections.has("ip-addr-link-route") ? splitRoutes(section("ip-addr-link-route")) : [section("ip-addr-link"), section("ip-route")];
  const [links, addresses] = sections.has("ip-addr-link") || sections.has("ip-addr-link-route") ? splitAddrLink(tables) : [section("ip-link"), section("ip-addr")];
  parseIpLink(links, table);
  parseIpAddr(addresses, table);
  parseSysNet(section("sys-net"), table);
  const interfaces = freezeInterfaces(table);
  const route = sections.has("ip-route") ? parseIpRoute(section("ip-route")) : sections.has("ip-addr-link-route") ? parseIpRoute(routes) : parseProcRoute(section("proc-route"));
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
