/** service: a systemd unit's running and enabled state. */
import { z } from "zod";
import { defineModule, type Effect, type Fact, type FactValues, type Plan, type PlanContext, type ProbeResult, type Step } from "./types.js";
import { change, fail, ok } from "./support/plan.js";
import { ProbeError } from "./support/probe-error.js";
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

type ServiceArgs = z.output<typeof schema>;

/** is-enabled states that count as enabled; static/indirect/generated units cannot be toggled. */
const ENABLED = new Set(["enabled", "enabled-runtime", "alias"]);
const UNTOGGLEABLE = new Set(["static", "indirect", "generated", "transient"]);

/** A unit as its three facts read it; also the `after` of a `unit:NAME` thing that a service change declares. */
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

/** Whether the unit is loaded and up to date with its file: `systemctl show -p LoadState -p NeedDaemonReload`. */
export interface UnitLoad {
  readonly loaded: boolean;
  readonly needsReload: boolean;
}

/** Parses `systemctl show`; throws when systemctl did not answer at all (missing, or no systemd). */
export function parseUnitLoad(result: ProbeResult): UnitLoad {
  if (result.rc !== 0 && !result.stdout.includes("LoadState=")) throw new ProbeError(`systemctl failed: ${result.stderr.trim() || `exit ${result.rc}`}`);
  const properties = showProperties(result.stdout);
  const loadState = properties.get("LoadState") ?? "";
  return { loaded: loadState !== "" && loadState !== "not-found", needsReload: properties.get("NeedDaemonReload") === "yes" };
}

const unitSubject = (name: string): string => `unit:${name}`;

/** The unit's three facts, all about `unit:NAME`; a predicted unit (an earlier service change) answers them all. */
function unitFacts(name: string) {
  const about = <T>(argv: string[], parse: (result: ProbeResult) => T, predict: (after: UnitState) => T): Fact<T> => ({
    argv,
    subject: unitSubject(name),
    parse,
    predict: (after) => predict(after as UnitState),
  });
  return {
    // is-active and is-enabled exit non-zero for "inactive" and "disabled": their words are the answer
    active: about(["systemctl", "is-active", "--", name], (result) => result.stdout.trim() === "active", (after) => after.active),
    enabled: about(["systemctl", "is-enabled", "--", name], (result) => result.stdout.trim(), (after) => after.enabled),
    load: about(["systemctl", "show", "-p", "LoadState", "-p", "NeedDaemonReload", "--", name], parseUnitLoad, (after): UnitLoad => ({ loaded: after.loaded, needsReload: after.needsReload })),
  };
}

type UnitFacts = FactValues<ReturnType<typeof unitFacts>>;

function stateSteps(name: string, state: string | undefined, active: boolean): Step[] {
  const step = (verb: string): Step[] => [{ kind: "run", argv: ["systemctl", verb, "--", name] }];
  if (state === "started" && !active) return step("start");
  if (state === "stopped" && active) return step("stop");
  if (state === "restarted") return step("restart");
  if (state === "reloaded") return step(active ? "reload" : "start");
  return [];
}

function enableSteps(args: ServiceArgs, enabled: string): Step[] {
  if (args.enabled === true && !ENABLED.has(enabled) && !UNTOGGLEABLE.has(enabled)) return [{ kind: "run", argv: ["systemctl", "enable", "--", args.name] }];
  if (args.enabled === false && ENABLED.has(enabled)) return [{ kind: "run", argv: ["systemctl", "disable", "--", args.name] }];
  return [];
}

/** The unit once the steps ran; a start may make the daemon write files (its state, its config), which check mode cannot foresee. */
function unitEffects(args: ServiceArgs, unit: UnitFacts): Effect[] {
  const active = args.state === "stopped" ? false : args.state === undefined ? unit.active : true;
  const enabled = args.enabled === true && !UNTOGGLEABLE.has(unit.enabled) ? "enabled" : args.enabled === false && ENABLED.has(unit.enabled) ? "disabled" : unit.enabled;
  const after: UnitState = { loaded: true, active, enabled, needsReload: false };
  const effects: Effect[] = [{ kind: "thing", subject: unitSubject(args.name), after }];
  if (active && args.state !== undefined) effects.push({ kind: "unknown", what: `what ${args.name} writes once it runs` });
  return effects;
}

function planService(args: ServiceArgs, unit: UnitFacts, ctx: PlanContext): Plan {
  if (ctx.facts !== undefined && ctx.facts.serviceManager !== "systemd") return fail(`service manager ${ctx.facts.serviceManager} is not supported (systemd only)`);
  // A reload on every run would cost a round trip and void the host's probe cache: only when systemd needs one.
  const reload: Step[] = args.daemon_reload && (!unit.load.loaded || unit.load.needsReload) ? [{ kind: "run", argv: ["systemctl", "daemon-reload"] }] : [];
  // After daemon-reload a new unit file may appear; only then is "not found" not yet final.
  if (!unit.load.loaded && !args.daemon_reload) return fail(`could not find the unit ${args.name}`, "check the name with `systemctl list-unit-files`");
  const steps: Step[] = [...stateSteps(args.name, args.state, unit.active), ...enableSteps(args, unit.enabled)];
  // daemon-reload alone changes no unit's state: run it, but report ok.
  if (steps.length === 0) return reload.length > 0 ? { kind: "ok", msg: "unit is as wanted", steps: reload } : ok("unit is as wanted");
  return change([...reload, ...steps], undefined, unitEffects(args, unit));
}

export const service = defineModule({
  name: "service",
  summary: "Start, stop, restart, reload and enable systemd units",
  example: ["- name: nginx runs at boot", "  service:", "    name: nginx", "    state: started", "    enabled: true"].join("\n"),
  schema,
  facts: (args) => unitFacts(args.name),
  plan: planService,
});
