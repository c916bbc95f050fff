/** service: a systemd unit's running and enabled state. */
import { z } from "zod";
import { defineLegacyModule, type LegacyPlan, type ProbeResult, type Step } from "./types.js";
import { boolish } from "./support/schema.js";

const schema = z
  .strictObject({
    name: z.string().min(1).describe("The unit name (nginx or nginx.service)."),
    state: z.enum(["started", "stopped", "restarted", "reloaded"]).optional().describe("restarted/reloaded always act."),
    enabled: boolish("Start the unit at boot.").optional(),
    daemon_reload: boolish(
      "Run systemctl daemon-reload first when systemd needs it: the unit is not loaded (a new unit file) or " +
        "systemd reports NeedDaemonReload=yes (its file or a drop-in changed on disk). A unit systemd already " +
        "has up to date costs no reload, so a rerun stays cheap.",
    ).default(false),
  })
  .refine((args) => args.state !== undefined || args.enabled !== undefined || args.daemon_reload, {
    message: "give at least one of 'state', 'enabled' or 'daemon_reload'",
    path: ["state"],
  });

/** is-enabled states that count as enabled; static/indirect/generated units cannot be toggled. */
const ENABLED = new Set(["enabled", "enabled-runtime", "alias"]);
const UNTOGGLEABLE = new Set(["static", "indirect", "generated", "transient"]);

export interface UnitState {
  readonly loaded: boolean;
  readonly active: boolean;
  readonly enabled: string;
  /** systemd's unit file (or a drop-in) changed on disk since it was loaded. */
  readonly needsReload: boolean;
}

/** The `Key=value` lines of `systemctl show` output, read once; a key's first line wins, its value up to any whitespace. */
function showProperties(stdout: string): Map<string, string> {
  const properties = new Map<string, string>();
  for (const line of stdout.split("\n")) {
    const equals = line.indexOf("=");
    if (equals <= 0) continue;
    const key = line.slice(0, equals);
    if (!properties.has(key)) properties.set(key, /^\S*/.exec(line.slice(equals + 1))?.[0] ?? "");
  }
  return properties;
}

/** Parses the three probes: is-active, is-enabled, show -p LoadState -p NeedDaemonReload. */
export function parseUnitState(results: readonly ProbeResult[]): UnitState {
  const [active, enabled, show] = results;
  const properties = showProperties(show?.stdout ?? "");
  const loadState = properties.get("LoadState") ?? "";
  return {
    loaded: loadState !== "" && loadState !== "not-found",
    active: (active?.stdout.trim() ?? "") === "active",
    enabled: enabled?.stdout.trim() ?? "",
    needsReload: properties.get("NeedDaemonReload") === "yes",
  };
}

function stateSteps(name: string, state: string | undefined, active: boolean): Step[] {
  const step = (verb: string): Step[] => [{ kind: "run", argv: ["systemctl", verb, "--", name] }];
  if (state === "started" && !active) return step("start");
  if (state === "stopped" && active) return step("stop");
  if (state === "restarted") return step("restart");
  if (state === "reloaded") return step(active ? "reload" : "start");
  return [];
}

export const service = defineLegacyModule({
  name: "service",
  summary: "Start, stop, restart, reload and enable systemd units",
  example: ["- name: nginx runs at boot", "  service:", "    name: nginx", "    state: started", "    enabled: true"].join("\n"),
  schema,
  probe: (args) => [
    { argv: ["systemctl", "is-active", "--", args.name] },
    { argv: ["systemctl", "is-enabled", "--", args.name] },
    { argv: ["systemctl", "show", "-p", "LoadState", "-p", "NeedDaemonReload", "--", args.name] },
  ],
  plan: (args, results, ctx): LegacyPlan => {
    if (ctx.facts !== undefined && ctx.facts.serviceManager !== "systemd") {
      return { steps: [], failed: `service manager ${ctx.facts.serviceManager} is not supported (systemd only)` };
    }
    const load = results[2];
    if (load !== undefined && load.rc !== 0 && !load.stdout.includes("LoadState=")) {
      return { steps: [], failed: `systemctl failed: ${load.stderr.trim() || `exit ${load.rc}`}` };
    }
    const unit = parseUnitState(results);
    // A reload on every run would cost a round trip and void the host's probe cache: only when systemd needs one.
    const reload: Step[] = args.daemon_reload && (!unit.loaded || unit.needsReload) ? [{ kind: "run", argv: ["systemctl", "daemon-reload"] }] : [];
    // After daemon-reload a new unit file may appear; only then is "not found" not yet final.
    if (!unit.loaded && !args.daemon_reload) {
      return { steps: [], failed: `could not find the unit ${args.name}`, msg: "check the name with `systemctl list-unit-files`" };
    }
    const steps: Step[] = [...stateSteps(args.name, args.state, unit.active)];
    if (args.enabled === true && !ENABLED.has(unit.enabled) && !UNTOGGLEABLE.has(unit.enabled)) {
      steps.push({ kind: "run", argv: ["systemctl", "enable", "--", args.name] });
    }
    if (args.enabled === false && ENABLED.has(unit.enabled)) {
      steps.push({ kind: "run", argv: ["systemctl", "disable", "--", args.name] });
    }
    // daemon-reload alone changes no unit's state: run it, but report ok.
    return { steps: [...reload, ...steps], changed: steps.length > 0, msg: steps.length === 0 ? "unit is as wanted" : undefined };
  },
});
