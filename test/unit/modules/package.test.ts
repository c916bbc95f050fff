import { describe, expect, it } from "vitest";
import { packageModule } from "../../../src/modules/package.js";
import type { ProbeResult } from "../../../src/modules/types.js";
import { debianFacts, factsOf, ok, rc, runGolden, type GoldenCase } from "./helpers.js";
import { describeSchemaCases } from "./schema-cases.js";

const fedora = { ...debianFacts, packageManager: "dnf" as const };
const aptEnv = ["env", "DEBIAN_FRONTEND=noninteractive"];
const dpkg = (lines: string[]) => rc(lines.some((line) => !line.includes("installed")) ? 1 : 0, lines.map((line) => `${line}\n`).join(""));
/** One captured output for the facts of every name: they share one command. */
const each = (kind: "installed" | "upgrade", names: readonly string[], result: ProbeResult): Record<string, ProbeResult> =>
  Object.fromEntries(names.map((name) => [`${kind}:${name}`, result]));
const installed = (names: readonly string[], result: ProbeResult) => each("installed", names, result);
const nginxInstalled = installed(["nginx"], ok("nginx install ok installed\n"));

const cases: GoldenCase[] = [
  { name: "apt: installed already", args: { name: ["nginx", "curl"] }, facts: installed(["nginx", "curl"], dpkg(["nginx install ok installed", "curl install ok installed"])), expect: { steps: [], changed: false } },
  {
    name: "apt: one missing",
    args: { name: "nginx,curl", state: "present" },
    facts: installed(["nginx", "curl"], rc(1, "nginx install ok installed\n", "dpkg-query: no packages found matching curl\n")),
    expect: { steps: [[...aptEnv, "apt-get", "install", "-y", "-q", "--no-install-recommends", "--", "curl"]] },
  },
  {
    name: "apt: config-files only counts as missing, update_cache first",
    args: { name: "nginx", update_cache: true },
    facts: installed(["nginx"], ok("nginx deinstall ok config-files\n")),
    expect: { steps: [[...aptEnv, "apt-get", "update", "-q"], [...aptEnv, "apt-get", "install", "-y", "-q", "--no-install-recommends", "--", "nginx"]] },
  },
  { name: "apt: remove", args: { name: ["nginx", "curl"], state: "absent" }, facts: installed(["nginx", "curl"], rc(1, "nginx install ok installed\n")), expect: { steps: [[...aptEnv, "apt-get", "remove", "-y", "-q", "--", "nginx"]] } },
  { name: "apt: removed already", args: { name: "nginx", state: "removed" }, facts: installed(["nginx"], rc(1, "")), expect: { steps: [] } },
  {
    name: "apt: latest with an upgrade",
    args: { name: "nginx", state: "latest" },
    facts: { ...nginxInstalled, ...each("upgrade", ["nginx"], ok("Inst nginx [1.22] (1.24 Debian:12/stable [amd64])\nConf nginx (1.24)\n")) },
    expect: { steps: [[...aptEnv, "apt-get", "install", "-y", "-q", "--no-install-recommends", "--", "nginx"]], probeCount: 2 },
  },
  { name: "apt: latest, up to date", args: { name: "nginx", state: "latest" }, facts: { ...nginxInstalled, ...each("upgrade", ["nginx"], ok("nginx is already the newest version\n")) }, expect: { steps: [] } },
  {
    name: "apt: latest, apt-get refuses and nothing is missing: fails",
    args: { name: "nginx", state: "latest" },
    facts: { ...nginxInstalled, ...each("upgrade", ["nginx"], rc(100, "", "E: Unable to locate package nginx")) },
    expect: { failed: "apt-get could not plan the upgrade: E: Unable to locate package nginx" },
  },
  {
    name: "apt: latest, apt-get refuses but one is missing: install it",
    args: { name: ["nginx", "nope"], state: "latest" },
    facts: { ...installed(["nginx", "nope"], rc(1, "nginx install ok installed\n")), ...each("upgrade", ["nginx", "nope"], rc(100, "", "E: Unable to locate package nope")) },
    expect: { steps: [[...aptEnv, "apt-get", "install", "-y", "-q", "--no-install-recommends", "--", "nope"]] },
  },
  { name: "apt: no dpkg-query fails", args: { name: "nginx" }, facts: installed(["nginx"], rc(127, "", "sh: dpkg-query: not found")), expect: { failed: "dpkg-query failed: sh: dpkg-query: not found" } },
  { name: "dnf: installed already", args: { name: "nginx" }, context: { facts: fedora }, facts: installed(["nginx"], ok("nginx\n")), expect: { steps: [] } },
  { name: "dnf: missing", args: { name: ["nginx", "git"] }, context: { facts: fedora }, facts: installed(["nginx", "git"], rc(1, "nginx\npackage git is not installed\n")), expect: { steps: [["dnf", "install", "-y", "-q", "--", "git"]] } },
  {
    name: "dnf: latest",
    args: { name: "nginx", state: "latest" },
    context: { facts: fedora },
    facts: { ...installed(["nginx"], ok("nginx\n")), ...each("upgrade", ["nginx"], rc(100, "\nnginx.x86_64  1:1.24-1.fc40  updates\n")) },
    expect: { steps: [["dnf", "install", "-y", "-q", "--", "nginx"]] },
  },
  { name: "use: overrides facts", args: { name: "nginx", use: "yum" }, facts: installed(["nginx"], rc(1, "package nginx is not installed\n")), expect: { steps: [["yum", "install", "-y", "-q", "--", "nginx"]] } },
  { name: "no facts and no use: fails", args: { name: "nginx" }, context: { facts: undefined }, expect: { failed: /no supported package manager/, probeCount: 0 } },
];

describe("package", () => {
  it.each(cases)("$name", (golden) => {
    runGolden(packageModule, golden);
  });

  it("asks one command for all names, each name its own subject", () => {
    const facts = factsOf(packageModule, packageModule.schema.parse({ name: ["nginx", "curl"] }));
    expect(new Set(facts.map((fact) => fact.argv.join(" ")))).toEqual(new Set(["dpkg-query -W -f=${Package} ${Status}\\n -- nginx curl"]));
    expect(facts.map((fact) => fact.subject)).toEqual(["package:nginx", "package:curl"]);
  });

  it("declares each package installed, and what it installs as unknown", () => {
    runGolden(packageModule, {
      name: "effects",
      args: { name: ["nginx", "curl"] },
      facts: installed(["nginx", "curl"], rc(1, "")),
      expect: {
        effects: [
          { kind: "thing", subject: "package:nginx", after: { installed: true } },
          { kind: "thing", subject: "package:curl", after: { installed: true } },
          { kind: "unknown", what: "what nginx, curl install (files, units, users)" },
        ],
      },
    });
  });

  it("plans against a predicted install: present then latest has nothing left to do", () => {
    const args = packageModule.schema.parse({ name: "nginx", state: "latest" });
    const [installedFact, upgradeFact] = factsOf(packageModule, args);
    const after = { installed: true };
    expect(installedFact?.predict?.(after)).toBe(true);
    expect(upgradeFact?.predict?.(after)).toEqual({ upgradable: false });
    expect(installedFact?.predict?.({ installed: false })).toBe(false);
  });
});

describeSchemaCases("package", [
  { name: "unknown argument", args: { name: "x", stat: "present" }, issues: [{ path: ["stat"], message: /unknown argument/, hint: /did you mean 'state'/ }] },
  { name: "missing name", args: {}, issues: [{ path: ["name"], message: /missing required argument 'name'/ }] },
  { name: "wrong type", args: { name: 5 }, issues: [{ path: ["name"], message: /string or a list of strings, got number 5/ }] },
  { name: "bad state", args: { name: "x", state: "newest" }, issues: [{ path: ["state"], message: /got string 'newest'/ }] },
]);
