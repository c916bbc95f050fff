import { describe, expect, it } from "vitest";
import { parseHierarchies } from "../../../src/lab/cgroup.js";
import { cgroupMountArgs } from "../../../src/lab/host-light.js";
import { hostsFile } from "../../../src/lab/host-seed.js";
import { parseSubnet } from "../../../src/lab/ipv4.js";
import { mountsUnder, parseMountInfo } from "../../../src/lab/mountinfo.js";
import { mirrorFor, mirrorHosts, parseListFile, parseSourcesFile } from "../../../src/lab/apt-sources.js";
import { renderNatRules, resolversFrom } from "../../../src/lab/nat.js";

describe("apt sources and resolv.conf", () => {
  it("finds mirrors in deb822 .sources, and the one serving a suite", () => {
    const text = [
      "Types: deb",
      "# http://snapshot.debian.org/x",
      "URIs: http://deb.debian.org/debian-security",
      "Suites: bookworm-security",
      "",
      "Types: deb",
      "URIs: http://deb.debian.org/debian https://mirror.example:8080/debian",
      "Suites: bookworm bookworm-updates",
      "",
    ].join("\n");
    const sources = parseSourcesFile(text);
    expect(mirrorHosts(sources)).toEqual(["deb.debian.org", "mirror.example"]);
    expect(mirrorFor(sources, "bookworm")).toBe("http://deb.debian.org/debian");
    expect(mirrorFor(sources, "trixie")).toBeUndefined();
  });

  it("finds mirrors in sources.list lines, with options and comments", () => {
    const text = "# deb http://commented.example/debian bookworm main\ndeb [arch=amd64 signed-by=/k.gpg] http://ftp.de.debian.org/debian bookworm main\ndeb-src http://user@src.example/debian bookworm main\n";
    expect(mirrorHosts(parseListFile(text))).toEqual(["ftp.de.debian.org", "src.example"]);
    expect(mirrorFor(parseListFile(text), "bookworm")).toBe("http://ftp.de.debian.org/debian");
  });

  it("takes IPv4 nameservers only", () => {
    expect(resolversFrom("search x\nnameserver 10.255.255.53\nnameserver ::1\n nameserver 1.1.1.1\n")).toEqual(["10.255.255.53", "1.1.1.1"]);
  });
});

describe("renderNatRules", () => {
  it("masquerades the lab subnet and forwards only to allowed addresses", () => {
    const rules = renderNatRules("runbook_lab_t", "rb-t", parseSubnet("10.99.1.0/24")!, ["1.2.3.4", "5.6.7.8"]);
    expect(rules).toContain("table ip runbook_lab_t {");
    expect(rules).toContain("elements = { 1.2.3.4, 5.6.7.8 }");
    expect(rules).toContain('iifname "rb-t" oifname != "rb-t" ip daddr != @allowed counter drop');
    expect(rules).toContain('ip saddr 10.99.1.0/24 oifname != "rb-t" counter masquerade');
    expect(rules).not.toMatch(/\bfwd\b/); // an nft keyword
  });
});

const MOUNTINFO = [
  "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755",
  "32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct",
  "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory",
  "40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,xattr,name=systemd",
  "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw",
  "50 23 0:40 / /work/p/.runbook/lab/x/netns/h\\0401 rw - nsfs nsfs rw",
  "51 23 0:41 / /work/p/.runbook/lab/x/hosts/h1/root rw - overlay ovl rw",
  "52 23 0:42 / /work/p/.runbook/lab/xy rw - overlay ovl rw",
].join("\n");

describe("mountinfo and cgroups", () => {
  it("lists mounts under a directory deepest first, unescaping names", () => {
    expect(mountsUnder(parseMountInfo(MOUNTINFO), "/work/p/.runbook/lab/x")).toEqual([
      "/work/p/.runbook/lab/x/hosts/h1/root",
      "/work/p/.runbook/lab/x/netns/h 1",
    ]);
  });

  it("finds each hierarchy, its mount options and this process's cgroup", () => {
    const cgroup = "9:name=systemd:/user\n4:memory:/process_api/abc\n1:cpu,cpuacct:/\n0::/\n";
    const hierarchies = parseHierarchies(parseMountInfo(MOUNTINFO), cgroup);
    expect(hierarchies).toEqual([
      { mountPoint: "/sys/fs/cgroup/cpu,cpuacct", fsType: "cgroup", options: "cpu,cpuacct", current: "/" },
      { mountPoint: "/sys/fs/cgroup/memory", fsType: "cgroup", options: "memory", current: "/process_api/abc" },
      { mountPoint: "/sys/fs/cgroup/systemd", fsType: "cgroup", options: "none,name=systemd", current: "/user" },
      { mountPoint: "/sys/fs/cgroup/unified", fsType: "cgroup2", options: "", current: "/" },
    ]);
    expect(cgroupMountArgs(hierarchies).slice(0, 3)).toEqual(["cpu,cpuacct", "cgroup", "cpu,cpuacct"]);
    expect(cgroupMountArgs([{ mountPoint: "/sys/fs/cgroup", fsType: "cgroup2", options: "", current: "/" }])).toEqual([".", "cgroup2", ""]);
  });
});

describe("hostsFile", () => {
  it("lists localhost and every lab host", () => {
    expect(hostsFile("h1", [{ name: "h1", address: "10.88.0.11" }, { name: "h2", address: "10.88.0.12" }])).toBe(
      "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n10.88.0.11\th1\n10.88.0.12\th2\n",
    );
  });
});
