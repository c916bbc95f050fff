import { describe, it } from "vitest";
import { packageModule } from "../../../src/modules/package.js";
import { debianFacts, ok, rc, runGolden, type GoldenCase } from "./helpers.js";
import { describeSchemaCases } from "./schema-cases.js";

const fedora = { ...debianFacts, packageManager: "dnf" as const };
const aptEnv = ["env", "DEBIAN_FRONTEND=noninteractive"];
const dpkg = (lines: string[]) => rc(lines.some((line) => !line.includes("installed")) ? 1 : 0, lines.map((line) => `${line}\n`).join(""));

const cases: GoldenCase[] = [
  { name: "apt: installed already", args: { name: ["nginx", "curl"] }, probes: [dpkg(["nginx install ok installed", "curl install ok installed"])], expect: { steps: [], probeCount: 1 } },
  {
    name: "apt: one missing",
    args: { name: "nginx,curl", state: "present" },
    probes: [rc(1, "nginx install ok installed\n", "dpkg-query: no packages found matching curl\n")],
    expect: { steps: [[...aptEnv, "apt-get", "install", "-y", "-q", "--no-install-recommends", "--", "curl"]] },
  },
  {
    name: "apt: config-files only counts as missing, update_cache first",
    args: { name: "nginx", update_cache: true },
    probes: [ok("nginx deinstall ok config-files\n")],
    expect: { steps: [[...aptEnv, "apt-get", "update", "-q"], [...aptEnv, "apt-get", "install", "-y", "-q", "--no-install-recommends", "--", "nginx"]] },
  },
  { name: "apt: remove", args: { name: ["nginx", "curl"], state: "absent" }, probes: [rc(1, "nginx install ok installed\n")], expect: { steps: [[...aptEnv, "apt-get", "remove", "-y", "-q", "--", "nginx"]] } },
  { name: "apt: removed already", args: { name: "nginx", state: "removed" }, probes: [rc(1, "")], expect: { steps: [] } },
  {
    name: "apt: latest with an upgrade",
    args: { name: "nginx", state: "latest" },
    probes: [ok("nginx install ok installed\n"), ok("Inst nginx [1.22] (1.24 Debian:12/stable [amd64])\nConf nginx (1.24)\n")],
    expect: { steps: [[...aptEnv, "apt-get", "install", "-y", "-q", "--no-install-recommends", "--", "nginx"]], probeCount: 2 },
  },
  { name: "apt: latest, up to date", args: { name: "nginx", state: "latest" }, probes: [ok("nginx install ok installed\n"), ok("nginx is already the newest version\n")], expect: { steps: [] } },
  { name: "dnf: installed already", args: { name: "nginx" }, context: { facts: fedora }, probes: [ok("nginx\n")], expect: { steps: [] } },
  { name: "dnf: missing", args: { name: ["nginx", "git"] }, context: { facts: fedora }, probes: [rc(1, "nginx\npackage git is not installed\n")], expect: { steps: [["dnf", "install", "-y", "-q", "--", "git"]] } },
  { name: "dnf: latest", args: { name: "nginx", state: "latest" }, context: { facts: fedora }, probes: [ok("nginx\n"), rc(100, "\nnginx.x86_64  1:1.24-1.fc40  updates\n")], expect: { steps: [["dnf", "install", "-y", "-q", "--", "nginx"]] } },
  { name: "use: overrides facts", args: { name: "nginx", use: "yum" }, probes: [rc(1, "package nginx is not installed\n")], expect: { steps: [["yum", "install", "-y", "-q", "--", "nginx"]] } },
  { name: "no facts and no use: fails", args: { name: "nginx" }, context: { facts: undefined }, probes: [], expect: { failed: /no supported package manager/ } },
];

describe("package", () => {
  it.each(cases)("$name", (golden) => {
    runGolden(packageModule, golden);
  });
});

describeSchemaCases("package", [
  { name: "unknown argument", args: { name: "x", stat: "present" }, issues: [{ path: ["stat"], message: /unknown argument/, hint: /did you mean 'state'/ }] },
  { name: "missing name", args: {}, issues: [{ path: ["name"], message: /missing required argument 'name'/ }] },
  { name: "wrong type", args: { name: 5 }, issues: [{ path: ["name"], message: /string or a list of strings, got number 5/ }] },
  { name: "bad state", args: { name: "x", state: "newest" }, issues: [{ path: ["state"], message: /got string 'newest'/ }] },
]);
