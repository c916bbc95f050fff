import { describe, expect, it } from "vitest";
import { apt } from "../../../src/modules/apt.js";
import { dnf } from "../../../src/modules/dnf.js";
import { packageModule } from "../../../src/modules/package.js";
import type { ProbeResult } from "../../../src/modules/types.js";
import { yum } from "../../../src/modules/yum.js";
import { debianFacts, factsOf, fakeContext, ok, rc, runGolden, type GoldenCase } from "./helpers.js";
import { describeSchemaCases } from "./schema-cases.js";

const fedora = { ...debianFacts, packageManager: "dnf" as const };
const APT = ["env", "DEBIAN_FRONTEND=noninteractive", "apt-get"];
const dpkg = (lines: string[]) => rc(lines.some((line) => !line.includes("installed")) ? 1 : 0, lines.map((line) => `${line}\n`).join(""));
/** One captured output for the facts of every name: they share one command. */
const each = (kind: "installed" | "upgrade", names: readonly string[], result: ProbeResult): Record<string, ProbeResult> =>
  Object.fromEntries(names.map((name) => [`${kind}:${name}`, result]));
const installed = (names: readonly string[], result: ProbeResult) => ({ ...each("installed", names, result), simulation: ok() });
const nginxInstalled = installed(["nginx"], ok("nginx install ok installed\n"));

const cases: GoldenCase[] = [
  { name: "apt: installed already", args: { name: ["nginx", "curl"] }, facts: installed(["nginx", "curl"], dpkg(["nginx install ok installed", "curl install ok installed"])), expect: { steps: [], changed: false } },
  {
    name: "apt: one missing, from a comma string",
    args: { name: "nginx,curl", state: "present" },
    facts: installed(["nginx", "curl"], rc(1, "nginx install ok installed\n", "dpkg-query: no packages found matching curl\n")),
    expect: { steps: [[...APT, "install", "-y", "-q", "--", "curl"]] },
  },
  { name: "apt: install_recommends false and autoremove", args: { pkg: "curl", install_recommends: false, autoremove: true }, facts: installed(["curl"], rc(1)), expect: { steps: [[...APT, "install", "-y", "-q", "-o", "APT::Install-Recommends=no", "--auto-remove", "--", "curl"]] } },
  {
    name: "apt: an unknown name fails in check mode as apt-get's simulation does",
    args: { name: "nope" },
    context: { check: true },
    facts: { ...each("installed", ["nope"], rc(1)), simulation: rc(100, "", "E: Unable to locate package nope\n") },
    expect: { failed: "apt-get install would fail: E: Unable to locate package nope" },
  },
  {
    name: "apt: config-files only counts as missing, update_cache first",
    args: { name: "nginx", update_cache: true },
    facts: installed(["nginx"], ok("nginx deinstall ok config-files\n")),
    expect: { steps: [[...APT, "update", "-q"], [...APT, "install", "-y", "-q", "--", "nginx"]] },
  },
  { name: "apt: update_cache with nothing to install is ok, the update still runs", args: { name: "nginx", update_cache: true }, facts: nginxInstalled, expect: { steps: [[...APT, "update", "-q"]], changed: false } },
  { name: "apt: update_cache alone is a change", args: { update_cache: true }, expect: { steps: [[...APT, "update", "-q"]], changed: true } },
  { name: "apt: fresh lists (cache_valid_time): no update", args: { name: "nginx", cache_valid_time: 3600 }, facts: { ...nginxInstalled, cacheAge: ok("1000 400\n") }, expect: { steps: [] } },
  { name: "apt: stale lists: update", args: { name: "nginx", cache_valid_time: 3600 }, facts: { ...nginxInstalled, cacheAge: ok("100000 400\n") }, expect: { steps: [[...APT, "update", "-q"]] } },
  { name: "apt: remove", args: { name: ["nginx", "curl"], state: "absent" }, facts: installed(["nginx", "curl"], rc(1, "nginx install ok installed\n")), expect: { steps: [[...APT, "remove", "-y", "-q", "--", "nginx"]] } },
  { name: "apt: purge what only left its configuration", args: { name: "nginx", state: "absent", purge: true }, facts: installed(["nginx"], ok("nginx deinstall ok config-files\n")), expect: { steps: [[...APT, "remove", "-y", "-q", "--purge", "--", "nginx"]] } },
  {
    name: "apt: an essential package is refused, also in check mode",
    args: { name: "bash", state: "absent" },
    context: { check: true },
    facts: { ...each("installed", ["bash"], ok("bash install ok installed\n")), simulation: rc(100, "", "E: Essential packages were removed and -y was used without --allow-remove-essential.\n") },
    expect: { failed: /Essential packages were removed/ },
  },
  { name: "apt: removed already", args: { name: "nginx", state: "absent" }, facts: installed(["nginx"], rc(1, "")), expect: { steps: [] } },
  {
    name: "apt: latest with an upgrade",
    args: { name: "nginx", state: "latest" },
    facts: { ...each("installed", ["nginx"], ok("nginx install ok installed\n")), ...each("upgrade", ["nginx"], ok("Inst nginx [1.22] (1.24 Debian:12/stable [amd64])\nConf nginx (1.24)\n")) },
    expect: { steps: [[...APT, "install", "-y", "-q", "--", "nginx"]], probeCount: 2 },
  },
  { name: "apt: latest, up to date", args: { name: "nginx", state: "latest" }, facts: { ...nginxInstalled, ...each("upgrade", ["nginx"], ok("nginx is already the newest version\n")) }, expect: { steps: [] } },
  {
    name: "apt: latest, apt-get refuses and nothing is missing: fails",
    args: { name: "nginx", state: "latest" },
    facts: { ...nginxInstalled, ...each("upgrade", ["nginx"], rc(100, "", "E: Unable to locate package nginx")) },
    expect: { failed: "apt-get could not plan the upgrade: E: Unable to locate package nginx" },
  },
  { name: "apt: no dpkg-query fails", args: { name: "nginx" }, facts: installed(["nginx"], rc(127, "", "sh: dpkg-query: not found")), expect: { failed: "dpkg-query failed: sh: dpkg-query: not found" } },
  { name: "apt: autoremove alone", args: { autoremove: true }, facts: { autoremovable: ok("Remv libold1 [1.0]\n") }, expect: { steps: [[...APT, "autoremove", "-y", "-q"]] } },
  { name: "apt: a .deb whose version is installed", args: { deb: "/tmp/x.deb" }, facts: { deb: ok("Package: x\nVersion: 1.0\ninstalled 1.0 install ok installed\n") }, expect: { steps: [] } },
  { name: "apt: a .deb not installed", args: { deb: "/tmp/x.deb" }, facts: { deb: ok("Package: x\nVersion: 1.0\n") }, expect: { steps: [[...APT, "install", "-y", "-q", "--", "/tmp/x.deb"]] } },
];

const rpmCases: GoldenCase[] = [
  { name: "dnf: installed already", args: { name: "nginx" }, facts: each("installed", ["nginx"], ok("nginx\n")), expect: { steps: [] } },
  {
    name: "dnf: missing, with repositories (disable first)",
    args: { name: ["nginx", "git"], enablerepo: "epel", disablerepo: ["*"] },
    facts: each("installed", ["nginx", "git"], rc(1, "nginx\npackage git is not installed\n")),
    expect: { steps: [["dnf", "install", "-y", "-q", "--disablerepo=*", "--enablerepo=epel", "--", "git"]] },
  },
  {
    name: "dnf: latest",
    args: { name: "nginx", state: "latest" },
    facts: { ...each("installed", ["nginx"], ok("nginx\n")), ...each("upgrade", ["nginx"], rc(100, "\nnginx.x86_64  1:1.24-1.fc40  updates\n")) },
    expect: { steps: [["dnf", "install", "-y", "-q", "--", "nginx"]] },
  },
  { name: "dnf: removed (alias of absent)", args: { pkg: "nginx", state: "removed", autoremove: true }, facts: each("installed", ["nginx"], ok("nginx\n")), expect: { steps: [["dnf", "remove", "-y", "-q", "--setopt=clean_requirements_on_remove=1", "--", "nginx"]] } },
];

describe("apt", () => {
  it.each(cases)("$name", (golden) => {
    runGolden(apt, golden);
  });
  it("simulates the install only in check mode (a run's apt-get refuses the same, without a simulation on every run)", () => {
    const args = apt.schema.parse({ name: "nginx" });
    const names = (check: boolean): string[] => Object.keys(apt.facts?.(args, fakeContext({ check })) ?? {});
    expect(names(true)).toContain("simulation");
    expect(names(false)).not.toContain("simulation");
  });
});

describe("dnf and yum", () => {
  it.each(rpmCases)("$name", (golden) => {
    runGolden(dnf, golden);
  });

  it("yum is dnf's plan with yum", () => {
    runGolden(yum, { name: "yum: installed", args: { name: "httpd", state: "installed", update_cache: true }, facts: each("installed", ["httpd"], rc(1)), expect: { steps: [["yum", "makecache", "-q"], ["yum", "install", "-y", "-q", "--", "httpd"]] } });
  });
});

describe("package", () => {
  it("takes the manager from the facts, or use", () => {
    runGolden(packageModule, { name: "facts", args: { name: "nginx" }, context: { facts: fedora }, facts: each("installed", ["nginx"], rc(1)), expect: { steps: [["dnf", "install", "-y", "-q", "--", "nginx"]] } });
    runGolden(packageModule, { name: "use", args: { name: "nginx", use: "yum" }, facts: each("installed", ["nginx"], rc(1, "package nginx is not installed\n")), expect: { steps: [["yum", "install", "-y", "-q", "--", "nginx"]] } });
  });

  it("without facts finds the manager on the host, in the same command", () => {
    const args = packageModule.schema.parse({ name: ["nginx", "curl"] });
    const [first] = factsOf(packageModule, args, fakeContext({ facts: undefined }));
    expect(first?.argv.slice(0, 2)).toEqual(["sh", "-c"]);
    expect(first?.argv[2]).toContain("command -v apt-get");
    runGolden(packageModule, { name: "found apt", args: { name: "nginx" }, context: { facts: undefined }, facts: { "installed:nginx": rc(1, "apt\n"), simulation: ok("apt\n") }, expect: { steps: [[...APT, "install", "-y", "-q", "--", "nginx"]] } });
    runGolden(packageModule, { name: "none", args: { name: "nginx" }, context: { facts: undefined }, facts: { "installed:nginx": ok("none\n") }, expect: { failed: /no supported package manager/ } });
  });

  it("refuses what only the other manager takes", () => {
    runGolden(packageModule, { name: "enablerepo on apt", args: { name: "nginx", enablerepo: "epel" }, facts: nginxInstalled, expect: { failed: "'enablerepo' is not an argument of apt" } });
    runGolden(packageModule, { name: "installed on apt", args: { name: "nginx", state: "installed" }, facts: nginxInstalled, expect: { failed: "'state: installed' is not an argument of apt" } });
  });

  it("asks one command for all names, each name its own subject", () => {
    const facts = factsOf(apt, apt.schema.parse({ name: ["nginx", "curl"] })).filter((fact) => fact.subject !== undefined);
    expect(new Set(facts.map((fact) => fact.argv.join(" ")))).toEqual(new Set(["dpkg-query -W -f=${Package} ${Status}\\n -- nginx curl"]));
    expect(facts.map((fact) => fact.subject)).toEqual(["package:nginx", "package:curl"]);
  });

  it("declares each package installed, and what it installs as unknown", () => {
    runGolden(apt, {
      name: "effects",
      args: { name: ["nginx", "curl"] },
      facts: installed(["nginx", "curl"], rc(1, "")),
      expect: {
        effects: [
          { kind: "thing", subject: "package:nginx", after: { installed: true, manager: "apt" } },
          { kind: "thing", subject: "package:curl", after: { installed: true, manager: "apt" } },
          { kind: "unknown", what: "what nginx, curl install (files, units, users)" },
        ],
      },
    });
  });

  it("plans against a predicted install: present then latest has nothing left to do", () => {
    const [installedFact, upgradeFact] = factsOf(apt, apt.schema.parse({ name: "nginx", state: "latest" }));
    expect(installedFact?.predict?.({ installed: true })).toEqual({ manager: "apt", status: "installed" });
    expect(upgradeFact?.predict?.({ installed: true })).toEqual({ upgradable: false });
    expect(installedFact?.predict?.({ installed: false })).toEqual({ manager: "apt", status: "absent" });
  });
});

describeSchemaCases("apt", [
  { name: "unknown argument", args: { name: "x", stat: "present" }, issues: [{ path: ["stat"], message: /unknown argument/, hint: /did you mean 'state'/ }] },
  { name: "nothing to do", args: {}, issues: [{ path: ["name"], message: /missing required argument 'name'/ }] },
  { name: "wrong type", args: { name: 5 }, issues: [{ path: ["name"], message: /string or a list of strings, got number 5/ }] },
  { name: "dnf's state alias", args: { name: "x", state: "installed" }, issues: [{ path: ["state"], message: /got string 'installed'/ }] },
]);
