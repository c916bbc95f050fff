import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { HostState } from "../../../src/executor/host-state.js";
import { ansibleFactVars } from "../../../src/facts/ansible-vars.js";
import { validateArgs } from "../../../src/modules/registry.js";
import { serviceFactsModule } from "../../../src/modules/service-facts.js";
import { parseActiveStates, parseListUnits, serviceFacts } from "../../../src/modules/support/systemd-units.js";
import { debianFacts, ok, rc, runGolden } from "./helpers.js";
import { describeSchemaCases } from "./schema-cases.js";

// Captured on a lab systemd host (Debian 12, systemd 252, the suite's package list).
const captured = (name: string): string => readFileSync(join(import.meta.dirname, "../../fixtures/service-facts", name), "utf8");
const LIST_UNITS = captured("list-units.txt");
const LIST_UNIT_FILES = captured("list-unit-files.txt");
const SHOW = captured("show.txt");

describe("the services fact from a real host's listings", () => {
  const services = serviceFacts(LIST_UNITS, LIST_UNIT_FILES, SHOW);

  it.each([
    ["a running, enabled daemon", "ssh.service", "running", "enabled"],
    ["an exited oneshot counts as stopped", "openvswitch-switch.service", "stopped", "enabled"],
    ["a loaded, inactive static unit", "apt-daily.service", "stopped", "static"],
    ["a unit only referred to keeps not-found", "firewalld.service", "stopped", "not-found"],
    ["a masked unit stays masked", "console-getty.service", "stopped", "masked"],
    ["a template is unknown", "getty@.service", "unknown", "enabled"],
    ["an unloaded alias has its target's state", "sshd.service", "active", "alias"],
    ["an unloaded unit file is inactive", "debug-shell.service", "inactive", "disabled"],
    ["an indirect unit", "uuidd.service", "stopped", "indirect"],
  ])("%s: %s", (_what, name, state, status) => {
    expect(services[name]).toEqual({ name, state, status, source: "systemd" });
  });

  it("lists every unit of both listings and nothing else", () => {
    expect(services).not.toHaveProperty("nosuch.service");
    expect(Object.keys(services)).toHaveLength(129);
    expect(Object.keys(services).every((name) => name.endsWith(".service"))).toBe(true);
  });
});

describe("parseListUnits", () => {
  it.each([
    ["failed.service loaded failed failed The failing one", { state: "stopped", status: "failed" }],
    ["web.service loaded active running Web server", { state: "running", status: "active" }],
    ["gone.service not-found inactive dead gone.service", { state: "stopped", status: "not-found" }],
    ["  x.service masked inactive dead x.service", { state: "stopped", status: "masked" }],
  ])("%s", (line, want) => {
    const [unit] = [...parseListUnits(`${line}\n`).values()];
    expect(unit).toMatchObject(want);
  });

  it("skips lines that are not service units", () => {
    expect(parseListUnits("\n0 loaded units listed.\nfoo.socket loaded active listening Foo\n").size).toBe(0);
  });

  it("a failed unit keeps failed whatever its file says", () => {
    expect(serviceFacts("app.service loaded failed failed App\n", "app.service enabled enabled\n", "")["app.service"]).toMatchObject({ status: "failed" });
  });
});

describe("parseActiveStates", () => {
  it("maps every name of a unit, aliases included", () => {
    const states = parseActiveStates("Names=ssh.service sshd.service\nActiveState=active\n\nNames=dbus.service\nActiveState=active\n");
    expect(Object.fromEntries(states)).toEqual({ "ssh.service": "active", "sshd.service": "active", "dbus.service": "active" });
  });
});

describe("service_facts", () => {
  const probes = [ok(LIST_UNITS), ok(LIST_UNIT_FILES), ok(SHOW)];

  it("reads three listings, changes nothing and returns the fact services (the host joins it to ansible_facts)", () => {
    const plan = runGolden(serviceFactsModule, {
      name: "real host",
      args: {},
      probes,
      expect: { steps: [], changed: false, probeCount: 3 },
    });
    expect(plan.kind).toBe("ok");
    const facts = (plan.kind === "ok" ? plan.facts : undefined) as { services: Record<string, unknown> };
    expect(Object.keys(facts)).toEqual(["services"]);
    expect(facts.services["ssh.service"]).toMatchObject({ state: "running" });
    expect(plan.kind === "ok" ? plan.setFacts : "not ok").toBeUndefined();
  });

  it("a host's facts: the module's fact joins the gathered ones in ansible_facts and is a variable too", () => {
    const host = new HostState("h1", {}, {});
    host.setFacts(debianFacts, ansibleFactVars(debianFacts));
    host.addFacts({ services: { "ssh.service": { state: "running" } } });
    expect(host.factVars["ansible_facts"]).toMatchObject({ os_family: "Debian", services: { "ssh.service": { state: "running" } } });
    expect(host.publicVars["services"]).toEqual({ "ssh.service": { state: "running" } });
    host.clearFacts();
    expect(host.publicVars["services"]).toBeUndefined();
  });

  it("a failed show loses only the unloaded aliases' states", () => {
    const plan = runGolden(serviceFactsModule, { name: "no show", args: {}, probes: [ok(LIST_UNITS), ok(LIST_UNIT_FILES), rc(1)], expect: { steps: [] } });
    expect(((plan.kind === "ok" ? plan.facts : undefined)?.["services"] as Record<string, { state: string }>)["sshd.service"]?.state).toBe("inactive");
  });

  it.each([
    { name: "no systemctl", probes: [rc(127, "", "sh: systemctl: not found"), rc(127), rc(127)], failed: /systemctl failed: sh: systemctl: not found/ },
    { name: "no systemd running", probes: [ok(), rc(1, "", "System has not been booted with systemd"), ok()], failed: /not been booted with systemd/ },
  ])("$name fails", ({ probes: results, failed }) => {
    runGolden(serviceFactsModule, { name: "fails", args: {}, probes: results, expect: { failed } });
  });

  it("other service managers fail", () => {
    runGolden(serviceFactsModule, { name: "openrc", args: {}, context: { facts: { ...debianFacts, serviceManager: "openrc" } }, probes, expect: { failed: /systemd only/ } });
  });
});

it("a bare `service_facts:` (null arguments) is valid", () => {
  expect(validateArgs("ansible.builtin.service_facts", null)).toEqual({ ok: true, args: {} });
});

describeSchemaCases("service_facts", [
  { name: "takes no arguments", args: { name: "ssh" }, issues: [{ path: ["name"], message: /unknown argument 'name'/ }] },
]);
