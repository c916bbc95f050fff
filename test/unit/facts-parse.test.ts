import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ansibleFactVars } from "../../src/facts/ansible-vars.js";
import { FACTS_SCRIPT, factsScript } from "../../src/facts/gather.js";
import { parseOsRelease, osFacts } from "../../src/facts/os.js";
import { parseFacts, splitAddrLink, splitSections } from "../../src/facts/parse.js";
import type { Facts } from "../../src/facts/types.js";

const fixture = (name: string): string => readFileSync(join(import.meta.dirname, "../fixtures/facts", name), "utf8");

describe.each([
  {
    file: "debian12-container.txt",
    hostname: "vm",
    os: { family: "Debian", distribution: "Debian", version: "12.11", majorVersion: "12", codename: "bookworm" },
    packageManager: "apt",
    serviceManager: "unknown",
    cpus: 2,
    memoryMb: 24105,
    defaultIpv4: { address: "192.0.2.2", interface: "eth0", gateway: "192.0.2.1" },
    interfaces: ["lo", "ifb0", "ifb1", "eth0"],
  },
  {
    file: "debian12-no-ip.txt",
    hostname: "vm",
    os: { family: "Debian", distribution: "Debian", version: "12.11", majorVersion: "12", codename: "bookworm" },
    packageManager: "apt",
    serviceManager: "unknown",
    cpus: 2,
    memoryMb: 24105,
    defaultIpv4: undefined, // without `ip` there are no addresses, only the route's interface
    interfaces: ["eth0", "ifb0", "ifb1", "lo"],
  },
  {
    file: "fedora39.txt",
    hostname: "web1",
    os: { family: "RedHat", distribution: "Fedora", version: "39", majorVersion: "39", codename: "Server Edition" },
    packageManager: "dnf",
    serviceManager: "systemd",
    cpus: 4,
    memoryMb: 7937,
    defaultIpv4: { address: "10.0.5.20", interface: "enp1s0", gateway: "10.0.5.1" },
    interfaces: ["lo", "enp1s0", "br-lan", "veth1"],
  },
  {
    file: "centos7.txt",
    hostname: "db7",
    os: { family: "RedHat", distribution: "CentOS", version: "7.9.2009", majorVersion: "7", codename: "Core" },
    packageManager: "yum",
    serviceManager: "systemd",
    cpus: 1,
    memoryMb: 1837,
    defaultIpv4: { address: "192.168.122.57", interface: "eth0", gateway: "192.168.122.1" },
    interfaces: ["lo", "eth0"],
  },
  {
    file: "alpine-openrc.txt",
    hostname: "edge",
    os: { family: "Alpine", distribution: "Alpine", version: "3.19.1", majorVersion: "3", codename: undefined },
    packageManager: "apk",
    serviceManager: "openrc",
    cpus: 2,
    memoryMb: 976,
    defaultIpv4: { address: "10.1.1.5", interface: "eth0", gateway: "10.1.1.1" },
    interfaces: ["lo", "eth0"],
  },
])("parseFacts($file)", (expected) => {
  const facts = parseFacts(fixture(expected.file));

  it("reads the host, OS and managers", () => {
    expect(facts.hostname).toBe(expected.hostname);
    expect(facts.os).toEqual(expected.os);
    expect(facts.packageManager).toBe(expected.packageManager);
    expect(facts.serviceManager).toBe(expected.serviceManager);
    expect(facts.cpus).toBe(expected.cpus);
    expect(facts.memoryMb).toBe(expected.memoryMb);
  });

  it("reads interfaces and the default IPv4 route", () => {
    expect(Object.keys(facts.interfaces)).toEqual(expected.interfaces);
    expect(facts.defaultIpv4).toEqual(expected.defaultIpv4);
  });
});

describe("parseFacts details", () => {
  it("keeps secondary addresses, MACs, MTU and link state (Fedora)", () => {
    const facts = parseFacts(fixture("fedora39.txt"));
    expect(facts.fqdn).toBe("web1.example.org");
    expect(facts.interfaces.enp1s0).toEqual({
      name: "enp1s0",
      mac: "52:54:00:12:34:56",
      mtu: 1500,
      up: true,
      ipv4: [
        { address: "10.0.5.20", prefix: 24 },
        { address: "10.0.5.21", prefix: 24 },
      ],
      ipv6: [{ address: "fe80::5054:ff:fe12:3456", prefix: 64 }],
    });
    expect(facts.interfaces.veth1?.up).toBe(false);
    expect(facts.kernel).toBe("6.5.6-300.fc39.x86_64");
    expect(facts.user).toBe("admin");
  });

  it("reads the gateway from /proc/net/route when ip is missing", () => {
    const facts = parseFacts(fixture("debian12-no-ip.txt"));
    expect(facts.interfaces.eth0).toMatchObject({ mac: "02:fc:00:00:00:01", mtu: 1400, up: true });
    expect(facts.interfaces.ifb0?.up).toBe(false);
  });

  it("ignores text outside sections and tolerates missing sections", () => {
    const facts = parseFacts("motd noise\n@@runbook-fact hostname\nbox\n");
    expect(facts).toMatchObject({ hostname: "box", fqdn: "box", cpus: 1, memoryMb: 0, packageManager: "unknown", serviceManager: "unknown" });
    expect(facts.os.family).toBe("Unknown");
    expect(facts.defaultIpv4).toBeUndefined();
  });
});

describe("os-release", () => {
  it("unquotes single and double quotes with escapes", () => {
    expect(parseOsRelease(`A="x \\"y\\""\nB='z w'\nC=plain\n# comment\n`)).toEqual({ A: 'x "y"', B: "z w", C: "plain" });
  });

  it.each([
    ["ID=ubuntu\nVERSION_ID=\"22.04\"\nVERSION_CODENAME=jammy", "Debian", "Ubuntu", "22.04", "jammy"],
    ["ID=rocky\nVERSION_ID=\"9.3\"\nID_LIKE=\"rhel centos fedora\"", "RedHat", "Rocky", "9.3", undefined],
    ["ID=almalinux\nVERSION_ID=\"8.9\"", "RedHat", "AlmaLinux", "8.9", undefined],
    ["ID=rhel\nVERSION_ID=\"9.2\"", "RedHat", "RedHat", "9.2", undefined],
    ["ID=\"opensuse-leap\"\nVERSION_ID=\"15.5\"", "Suse", "openSUSE Leap", "15.5", undefined],
    ["ID=arch\nBUILD_ID=rolling", "Archlinux", "Archlinux", "", undefined],
    ["ID=pop\nNAME=\"Pop!_OS\"\nID_LIKE=\"ubuntu debian\"\nVERSION_ID=\"22.04\"", "Debian", "Pop!_OS", "22.04", undefined],
  ])("maps %j like Ansible", (text, family, distribution, version, codename) => {
    const os = osFacts(parseOsRelease(text));
    expect(os).toMatchObject({ family, distribution, version, codename });
  });
});

describe("ansibleFactVars", () => {
  const vars = ansibleFactVars(parseFacts(fixture("fedora39.txt")));

  it("names the common facts like Ansible", () => {
    expect(vars).toMatchObject({
      ansible_hostname: "web1",
      ansible_fqdn: "web1.example.org",
      ansible_os_family: "RedHat",
      ansible_distribution: "Fedora",
      ansible_distribution_version: "39",
      ansible_distribution_major_version: "39",
      ansible_kernel: "6.5.6-300.fc39.x86_64",
      ansible_architecture: "x86_64",
      ansible_processor_vcpus: 4,
      ansible_memtotal_mb: 7937,
      ansible_pkg_mgr: "dnf",
      ansible_service_mgr: "systemd",
      ansible_user_id: "admin",
      ansible_interfaces: ["lo", "enp1s0", "br-lan", "veth1"],
      ansible_all_ipv4_addresses: ["10.0.5.20", "10.0.5.21", "172.16.0.1"],
    });
  });

  it("gives the default route's address with its interface's mask, network, MAC and MTU, in Ansible's keys", () => {
    expect(vars.ansible_default_ipv4).toEqual({
      address: "10.0.5.20",
      alias: "enp1s0",
      gateway: "10.0.5.1",
      interface: "enp1s0",
      macaddress: "52:54:00:12:34:56",
      mtu: 1500,
      netmask: "255.255.255.0",
      network: "10.0.5.0",
      prefix: "24",
    });
    expect(vars.ansible_br_lan).toMatchObject({ ipv4: { network: "172.16.0.0" } });
  });

  it("gives each interface its own variable with '-' replaced", () => {
    expect(vars.ansible_enp1s0).toMatchObject({
      ipv4: { address: "10.0.5.20", prefix: "24", netmask: "255.255.255.0" },
      ipv4_secondaries: [{ address: "10.0.5.21", prefix: "24", netmask: "255.255.255.0" }],
      macaddress: "52:54:00:12:34:56",
      mtu: 1500,
    });
    expect(vars.ansible_br_lan).toMatchObject({ ipv4: { address: "172.16.0.1", prefix: "16", netmask: "255.255.0.0" } });
    expect(vars.ansible_lo).toMatchObject({ ipv4: { address: "127.0.0.1", prefix: "8", netmask: "255.0.0.0" } });
  });

  it("gives the same facts without their prefix under ansible_facts", () => {
    expect(vars.ansible_facts).toMatchObject({
      os_family: "RedHat",
      distribution_major_version: "39",
      default_ipv4: { address: "10.0.5.20" },
      br_lan: { ipv4: { address: "172.16.0.1" } },
    });
    expect(vars.ansible_facts).not.toHaveProperty("ansible_os_family");
  });
});

describe("FACTS_SCRIPT", () => {
  it.each(["dash", "busybox-sh"])("runs under %s and prints every section", (shell) => {
    const argv = shell === "busybox-sh" ? ["/bin/busybox", "sh", "-c", FACTS_SCRIPT] : ["dash", "-c", FACTS_SCRIPT];
    const output = execFileSync(argv[0] ?? "", argv.slice(1), { encoding: "utf8" });
    const sections = splitSections(output);
    for (const name of ["hostname", "fqdn", "os-release", "kernel", "arch", "cpus", "meminfo", "user", "pkg-mgr", "init", "end"]) {
      expect(sections.has(name), name).toBe(true);
    }
    expect(parseFacts(output).cpus).toBeGreaterThan(0);
  });
});

describe("the facts script's own reads", () => {
  const shells = [["dash", "-c"], ["/bin/busybox", "sh", "-c"], ["bash", "--posix", "-c"]];
  const facts = (shell: readonly string[], builtins: boolean, env: NodeJS.ProcessEnv = process.env): Facts =>
    parseFacts(execFileSync(shell[0] ?? "", [...shell.slice(1), factsScript({ builtins, files: builtins, oneIp: builtins })], { encoding: "utf8", env }));
  // other labs come and go on the machine: its own interfaces are compared in a network namespace of their own
  const isolated = spawnSync("unshare", ["--net", "true"]).status === 0;
  const stable = (shell: readonly string[]): readonly string[] => (isolated ? ["unshare", "--net", ...shell] : shell);
  it.each(shells)("give the facts that uname, nproc, one ip per table, hostname -f and id -un give, under %s", (...shell) => {
    const [on, off] = [facts(stable(shell), true), facts(stable(shell), false)];
    expect(on).toEqual(isolated ? off : { ...off, interfaces: on.interfaces, defaultIpv4: on.defaultIpv4 });
    // GNU nproc obeys OMP_NUM_THREADS (busybox's does not): then the script asks it
    const omp = { ...process.env, OMP_NUM_THREADS: "1" };
    expect(facts(shell, true, omp).cpus).toBe(facts(shell, false, omp).cpus);
  });
  // two default routes, one of them multipath (its nexthops on lines of their own, which -o joins), and an IPv6 default
  const ROUTES = [
    "ip link add d0 address 02:00:00:00:00:01 type veth peer name p0 address 02:00:00:00:00:02 && ip link add d1 address 02:00:00:00:00:03 type veth peer name p1 address 02:00:00:00:00:04",
    "for l in lo d0 d1 p0 p1; do ip link set $l up; done",
    "ip addr add 10.9.0.2/24 dev d0 && ip addr add 10.9.1.2/24 dev d1 && ip -6 addr add fd00::2/64 dev d0 nodad",
    "ip -6 route add default via fd00::1 dev d0",
    "ip route add default via 10.9.1.1 dev d1 metric 100",
  ];
  const MULTIPATH = "ip route add default metric 50 nexthop via 10.9.0.1 dev d0 nexthop via 10.9.1.1 dev d1";
  it.each([["one default route", ROUTES], ["a multipath default route first", [...ROUTES, MULTIPATH]]])(
    "give the default route that ip -4 route gives, with %s",
    (_, setup) => {
      if (!isolated) return;
      const withRoutes = (oneIp: boolean): Facts =>
        parseFacts(execFileSync("unshare", ["--net", "sh", "-c", `${setup.join("\n")}\n${factsScript({ builtins: true, files: true, oneIp })}`], { encoding: "utf8" }));
      const [on, off] = [withRoutes(true), withRoutes(false)];
      expect(on.defaultIpv4).toEqual(off.defaultIpv4);
      expect(on.interfaces).toEqual(off.interfaces);
      expect(off.interfaces["d0"]?.ipv4[0]?.address).toBe("10.9.0.2");
      // ip -4 route shows the multipath route over several lines, its first without a dev: the next route wins
      expect(off.defaultIpv4?.interface).toBe("d1");
    },
  );
  it("tell the address lines of one ip batch from its link lines", () => {
    const [links, addresses] = splitAddrLink(
      "1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever\n2: eth0: <BROADCAST,UP> mtu 1500 qdisc noqueue state UP\\    link/ether 02:00:0a:59:97:0b brd ff:ff:ff:ff:ff:ff",
    );
    expect(links).toMatch(/^2: eth0: <BROADCAST,UP>/);
    expect(addresses).toMatch(/^1: lo +inet 127/);
  });
});

describe("processor and environment facts, as Ansible counts them", () => {
  it("sockets from physical id, cores and threads from the first socket", async () => {
    const { parseCpuinfo } = await import("../../src/facts/parse.js");
    const socket = (id: number, n: number): string => `processor\t: ${n}\nphysical id\t: ${id}\nsiblings\t: 4\ncpu cores\t: 2\n`;
    expect(parseCpuinfo([0, 1, 2, 3].map((n) => socket(0, n)).join("") + [4, 5, 6, 7].map((n) => socket(1, n)).join(""))).toEqual({ count: 2, cores: 2, threadsPerCore: 2, vcpus: 8 });
    expect(parseCpuinfo("processor\t: 0\nprocessor\t: 1\n")).toEqual({ count: 2, cores: 1, threadsPerCore: 1, vcpus: 2 });
    expect(parseCpuinfo("")).toBeUndefined();
  });
  // what dash, bash --posix and busybox sh print for HOME=/root, MSG="it's<newline>two", Q='a"b$c\d', EMPTY=, OLDPWD (no value)
  const wanted = { EMPTY: "", HOME: "/root", MSG: "it's\ntwo", Q: 'a"b$c\\d' };
  it.each([
    ["dash", "export EMPTY=''\nexport HOME='/root'\nexport MSG='it'\"'\"'s\ntwo'\nexport OLDPWD\nexport Q='a\"b$c\\d'\n"],
    ["bash", "export EMPTY=\"\"\nexport HOME=\"/root\"\nexport MSG=$'it\\'s\\ntwo'\nexport OLDPWD\nexport Q=\"a\\\"b\\$c\\\\d\"\n"],
    ["bash (declare)", "declare -x EMPTY=\"\"\ndeclare -x HOME=\"/root\"\ndeclare -x MSG=$'it\\'s\\ntwo'\ndeclare -x OLDPWD\ndeclare -x Q=\"a\\\"b\\$c\\\\d\"\n"],
  ])("the environment as %s's export -p prints it", async (_shell, text) => {
    const { parseEnv } = await import("../../src/facts/parse.js");
    expect(parseEnv(text)).toEqual(wanted);
  });
});
