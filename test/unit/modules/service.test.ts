import { describe, expect, it } from "vitest";
import { parseUnitLoad, service } from "../../../src/modules/service.js";
import type { Effect } from "../../../src/modules/types.js";
import { debianFacts, factsOf, fakeContext, ok, rc, runGolden, type GoldenCase } from "./helpers.js";
import { describeSchemaCases } from "./schema-cases.js";

const unit = (active: string, enabled: string, load = "loaded", needReload = "no") => [
  rc(active === "active" ? 0 : 3, `${active}\n`),
  rc(enabled === "enabled" ? 0 : 1, `${enabled}\n`),
  ok(`LoadState=${load}\nNeedDaemonReload=${needReload}\n`),
];

const cases: GoldenCase[] = [
  { name: "started and enabled already", args: { name: "nginx", state: "started", enabled: true }, probes: unit("active", "enabled"), expect: { steps: [], probeCount: 3 } },
  { name: "start and enable", args: { name: "nginx", state: "started", enabled: "yes" }, probes: unit("inactive", "disabled"), expect: { steps: [["systemctl", "start", "--", "nginx"], ["systemctl", "enable", "--", "nginx"]] } },
  { name: "only enable (state-free)", args: { name: "nginx", enabled: true }, probes: unit("active", "disabled"), expect: { steps: [["systemctl", "enable", "--", "nginx"]] } },
  { name: "stop and disable", args: { name: "nginx", state: "stopped", enabled: false }, probes: unit("active", "enabled"), expect: { steps: [["systemctl", "stop", "--", "nginx"], ["systemctl", "disable", "--", "nginx"]] } },
  { name: "restarted always acts", args: { name: "nginx", state: "restarted" }, probes: unit("active", "enabled"), expect: { steps: [["systemctl", "restart", "--", "nginx"]] } },
  { name: "reloaded always acts", args: { name: "nginx", state: "reloaded" }, probes: unit("active", "enabled"), expect: { steps: [["systemctl", "reload", "--", "nginx"]] } },
  { name: "static unit cannot be enabled: ok", args: { name: "tmp.mount", enabled: true }, probes: unit("active", "static"), expect: { steps: [] } },
  { name: "unknown unit fails", args: { name: "ngnix", state: "started" }, probes: unit("inactive", "", "not-found"), expect: { failed: /could not find the unit ngnix/ } },
  { name: "daemon_reload when the unit file changed on disk", args: { name: "nginx", daemon_reload: true }, probes: unit("active", "enabled", "loaded", "yes"), expect: { steps: [["systemctl", "daemon-reload"]], changed: false } },
  // systemd 252 says NeedDaemonReload=no for a drop-in in a new .d directory: reload anyway, as Ansible
  { name: "daemon_reload even when systemd says it is up to date", args: { name: "nginx", state: "started", daemon_reload: true }, probes: unit("active", "enabled", "loaded", "no"), expect: { steps: [["systemctl", "daemon-reload"]], changed: false } },
  { name: "daemon_reload for a new unit file, then start it", args: { name: "app", state: "started", daemon_reload: true }, probes: unit("inactive", "", "not-found"), expect: { steps: [["systemctl", "daemon-reload"], ["systemctl", "start", "--", "app"]] } },
  { name: "a changed unit file is reloaded before the restart", args: { name: "app", state: "restarted", daemon_reload: "yes" }, probes: unit("active", "enabled", "loaded", "yes"), expect: { steps: [["systemctl", "daemon-reload"], ["systemctl", "restart", "--", "app"]] } },
  { name: "no systemctl fails clearly", args: { name: "nginx", state: "started" }, probes: [rc(127), rc(127), rc(127, "", "sh: systemctl: not found")], expect: { failed: /systemctl failed: sh: systemctl: not found/ } },
  { name: "not systemd fails", args: { name: "nginx", state: "started" }, context: { facts: { ...debianFacts, serviceManager: "openrc" } }, probes: unit("active", "enabled"), expect: { failed: /systemd only/ } },
];

describe("service", () => {
  it.each(cases)("$name", (golden) => {
    runGolden(service, golden);
  });
});

describe("service effects and predictions", () => {
  const nginx = { loaded: true, active: true, enabled: "enabled", needsReload: false };

  it.each<[string, Record<string, unknown>, ReturnType<typeof unit>, Effect[]]>([
    ["a start: the unit, and what the daemon writes", { name: "nginx", state: "started", enabled: true }, unit("inactive", "disabled"), [{ kind: "thing", subject: "unit:nginx", after: nginx }, { kind: "unknown", what: "what nginx writes once it runs" }]],
    ["an enable alone: the unit only", { name: "nginx", enabled: true }, unit("active", "disabled"), [{ kind: "thing", subject: "unit:nginx", after: nginx }]],
    ["a stop", { name: "nginx", state: "stopped" }, unit("active", "enabled"), [{ kind: "thing", subject: "unit:nginx", after: { ...nginx, active: false } }]],
    ["a static unit stays static", { name: "tmp.mount", state: "started", enabled: true }, unit("inactive", "static"), [{ kind: "thing", subject: "unit:tmp.mount", after: { ...nginx, enabled: "static" } }, { kind: "unknown", what: "what tmp.mount writes once it runs" }]],
  ])("%s", (name, args, probes, effects) => {
    runGolden(service, { name, args, probes, expect: { changed: true, effects } });
  });

  it("reads a predicted unit from all three facts: start after a start has nothing to do", () => {
    const args = service.schema.parse({ name: "nginx", state: "started", enabled: true });
    const facts = factsOf(service, args);
    expect(facts.map((fact) => fact.subject)).toEqual(["unit:nginx", "unit:nginx", "unit:nginx"]);
    const [active, enabled, load] = facts.map((fact) => fact.predict?.(nginx));
    expect(service.plan(args, { active: active as boolean, enabled: enabled as string, load: load as { loaded: boolean; needsReload: boolean } }, fakeContext()).kind).toBe("ok");
  });
});

describe("parseUnitLoad", () => {
  it.each([
    { name: "loaded, up to date", show: "LoadState=loaded\nNeedDaemonReload=no\n", want: { loaded: true, needsReload: false } },
    { name: "loaded, file changed", show: "LoadState=loaded\nNeedDaemonReload=yes\n", want: { loaded: true, needsReload: true } },
    { name: "not found", show: "LoadState=not-found\nNeedDaemonReload=no\n", want: { loaded: false, needsReload: false } },
    { name: "masked", show: "LoadState=masked\nNeedDaemonReload=no\n", want: { loaded: true, needsReload: false } },
    { name: "no output (systemctl missing) throws", show: "", want: { loaded: false, needsReload: false } },
    { name: "keys in another order, other keys around", show: "Id=x.service\nNeedDaemonReload=yes\nMyLoadState=not-found\nLoadState=loaded\n", want: { loaded: true, needsReload: true } },
  ])("$name", ({ show, want }) => {
    if (show === "") expect(() => parseUnitLoad(rc(127, show, "sh: systemctl: not found"))).toThrow("systemctl failed: sh: systemctl: not found");
    else expect(parseUnitLoad(ok(show))).toEqual(want);
  });
});

describeSchemaCases("service", [
  { name: "unknown argument", args: { name: "x", enable: true }, issues: [{ path: ["enable"], message: /unknown argument/, hint: /did you mean 'enabled'/ }] },
  { name: "missing name", args: { state: "started" }, issues: [{ path: ["name"], message: /missing required argument 'name'/ }] },
  { name: "nothing to do", args: { name: "x" }, issues: [{ path: ["state"], message: /at least one of/ }] },
  { name: "bad state", args: { name: "x", state: "running" }, issues: [{ path: ["state"], message: /got string 'running'/ }] },
]);
