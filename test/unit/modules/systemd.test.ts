import { describe, it } from "vitest";
import { systemd } from "../../../src/modules/systemd.js";
import { ok, rc, runGolden, type GoldenCase } from "./helpers.js";
import { describeSchemaCases } from "./schema-cases.js";

const unit = (active: string, enabled: string, load = "loaded") => [
  rc(active === "active" ? 0 : 3, `${active}\n`),
  rc(enabled === "enabled" ? 0 : 1, `${enabled}\n`),
  ok(`LoadState=${load}\nNeedDaemonReload=no\n`),
];

const cases: GoldenCase[] = [
  { name: "mask a unit", args: { name: "app", masked: true }, probes: unit("inactive", "disabled"), expect: { steps: [["systemctl", "mask", "--", "app"]], changed: true } },
  { name: "a masked unit stays masked: ok", args: { name: "app", masked: true }, probes: unit("inactive", "masked", "masked"), expect: { steps: [], changed: false } },
  {
    name: "unmask before the start",
    args: { name: "app", masked: false, state: "started" },
    probes: unit("inactive", "masked", "masked"),
    expect: { steps: [["systemctl", "unmask", "--", "app"], ["systemctl", "start", "--", "app"]] },
  },
  {
    name: "mask and stop: the unit is masked, then stopped",
    args: { unit: "app", masked: true, state: "stopped" },
    probes: unit("active", "enabled"),
    expect: {
      steps: [["systemctl", "mask", "--", "app"], ["systemctl", "stop", "--", "app"]],
      effects: [{ kind: "thing", subject: "unit:app", after: { loaded: true, active: false, enabled: "masked", needsReload: false } }],
    },
  },
  { name: "daemon_reload without a unit: ok, reloads", args: { daemon_reload: true }, probeCount: 0, expect: { steps: [["systemctl", "daemon-reload"]], changed: false } } as GoldenCase,
  { name: "daemon-reexec spelling", args: { "daemon-reexec": "yes" }, expect: { steps: [["systemctl", "daemon-reexec"]], changed: false } },
  {
    name: "user scope and no_block reach every command",
    args: { name: "pipewire", scope: "user", state: "started", no_block: true },
    probes: unit("inactive", "enabled"),
    expect: { steps: [["systemctl", "--user", "--no-block", "start", "--", "pipewire"]], effects: [{ kind: "thing", subject: "unit:user/pipewire", after: { loaded: true, active: true, enabled: "enabled", needsReload: false } }, { kind: "unknown", what: "what pipewire writes once it runs" }] },
  },
  { name: "enable a masked unit: unmask first", args: { service: "app", masked: false, enabled: true }, probes: unit("inactive", "masked", "masked"), expect: { steps: [["systemctl", "unmask", "--", "app"], ["systemctl", "enable", "--", "app"]] } },
  { name: "unknown unit fails", args: { name: "nope", state: "started" }, probes: unit("inactive", "", "not-found"), expect: { failed: /could not find the unit nope/ } },
];

describe("systemd", () => {
  it.each(cases)("$name", (golden) => {
    runGolden(systemd, golden);
  });
});

describeSchemaCases("systemd", [
  { name: "nothing asked", args: { name: "app" }, issues: [{ path: ["state"], message: /at least one of/ }] },
  { name: "state without a unit", args: { state: "started" }, issues: [{ path: ["name"], message: /need 'name'/ }] },
  { name: "a glob", args: { name: "app*", state: "started" }, issues: [{ path: ["name"], message: /glob patterns/ }] },
  { name: "bad scope", args: { name: "app", scope: "session", state: "started" }, issues: [{ path: ["scope"], message: /system/ }] },
]);
