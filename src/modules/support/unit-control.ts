/**
 * One systemd unit's facts and plan, shared by `service` and `systemd`/`systemd_service`:
 * three read-only systemctl probes (is-active, is-enabled, show LoadState/NeedDaemonReload)
 * about the subject `unit:NAME`, and the steps that close the gap in Ansible's order: mask or
 * unmask first (a masked unit can be neither started nor enabled), then start/stop/restart/reload,
 * then enable or disable.
 */
import type { Effect, Fact, FactValues, Plan, PlanContext, ProbeResult, Step } from "../types.js";
import { change, fail, ok } from "./plan.js";
import { ProbeError } from "./probe-error.js";

/** What a task asks of a unit; `service` leaves masked/scope/daemon_reexec/no_block unset. */
export interface UnitRequest {
  readonly name: string;
  readonly state?: "started" | "stopped" | "restarted" | "reloaded" | undefined;
  readonly enabled?: boolean | undefined;
  readonly masked?: boolean | undefined;
  readonly daemon_reload: boolean;
  readonly daemon_reexec?: boolean | undefined;
  readonly scope?: "system" | "user" | "global" | undefined;
  readonly no_block?: boolean | undefined;
}

/** is-enabled states that count as enabled; static/indirect/generated units cannot be toggled. */
const ENABLED = new Set(["enabled", "enabled-runtime", "alias"]);
const UNTOGGLEABLE = new Set(["static", "indirect", "generated", "transient"]);
const MASKED = new Set(["masked", "masked-runtime"]);

/** A unit as its three facts read it; also the `after` of a `unit:NAME` thing that a unit change declares. */
export interface UnitState {
  readonly loaded: boolean;
  readonly active: boolean;
  readonly enabled: string;
  /** systemd's unit file (or a drop-in) changed on disk since it was loaded. */
  readonly needsReload: boolean;
}

/** Whether the unit is loaded and up to date with its file: `systemctl show -p LoadState -p NeedDaemonReload`. */
export interface UnitLoad {
  readonly loaded: boolean;
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

/** Parses `systemctl show`; throws when systemctl did not answer at all (missing, or no systemd). */
export function parseUnitLoad(result: ProbeResult): UnitLoad {
  if (result.rc !== 0 && !result.stdout.includes("LoadState=")) throw new ProbeError(`systemctl failed: ${result.stderr.trim() || `exit ${result.rc}`}`);
  const properties = showProperties(result.stdout);
  const loadState = properties.get("LoadState") ?? "";
  return { loaded: loadState !== "" && loadState !== "not-found", needsReload: properties.get("NeedDaemonReload") === "yes" };
}

/** `systemctl` with the scope's flag (--user, --global) and --no-block when asked. */
function systemctl(request: Pick<UnitRequest, "scope" | "no_block">): string[] {
  const scope = request.scope === undefined || request.scope === "system" ? [] : [`--${request.scope}`];
  return ["systemctl", ...scope, ...(request.no_block === true ? ["--no-block"] : [])];
}

const unitSubject = (request: Pick<UnitRequest, "name" | "scope">): string =>
  request.scope === undefined || request.scope === "system" ? `unit:${request.name}` : `unit:${request.scope}/${request.name}`;

/** The unit's three facts, all about `unit:NAME`; a predicted unit (an earlier unit change) answers them all. */
export function unitFacts(request: Pick<UnitRequest, "name" | "scope">) {
  const base = systemctl({ scope: request.scope });
  const about = <T>(argv: string[], parse: (result: ProbeResult) => T, predict: (after: UnitState) => T): Fact<T> => ({
    argv: [...base, ...argv, "--", request.name],
    subject: unitSubject(request),
    parse,
    predict: (after) => predict(after as UnitState),
  });
  return {
    // is-active and is-enabled exit non-zero for "inactive" and "disabled": their words are the answer
    active: about(["is-active"], (result) => result.stdout.trim() === "active", (after) => after.active),
    enabled: about(["is-enabled"], (result) => result.stdout.trim(), (after) => after.enabled),
    load: about(["show", "-p", "LoadState", "-p", "NeedDaemonReload"], parseUnitLoad, (after): UnitLoad => ({ loaded: after.loaded, needsReload: after.needsReload })),
  };
}

export type UnitFacts = FactValues<ReturnType<typeof unitFacts>>;

function stateSteps(request: UnitRequest, active: boolean): Step[] {
  const step = (verb: string): Step[] => [{ kind: "run", argv: [...systemctl(request), verb, "--", request.name] }];
  const { state } = request;
  if (state === "started" && !active) return step("start");
  if (state === "stopped" && active) return step("stop");
  if (state === "restarted") return step("restart");
  if (state === "reloaded") return step(active ? "reload" : "start");
  return [];
}

/** The is-enabled word once the mask/unmask steps ran (an unmasked unit's links are not known: "disabled"). */
function enabledAfterMask(request: UnitRequest, enabled: string): string {
  if (request.masked === true) return "masked";
  if (request.masked === false && MASKED.has(enabled)) return "disabled";
  return enabled;
}

function maskSteps(request: UnitRequest, enabled: string): Step[] {
  const masked = MASKED.has(enabled);
  if (request.masked === undefined || request.masked === masked) return [];
  return [{ kind: "run", argv: [...systemctl(request), request.masked ? "mask" : "unmask", "--", request.name] }];
}

function enableSteps(request: UnitRequest, enabled: string): Step[] {
  const step = (verb: string): Step[] => [{ kind: "run", argv: [...systemctl(request), verb, "--", request.name] }];
  if (request.enabled === true && !ENABLED.has(enabled) && !UNTOGGLEABLE.has(enabled)) return step("enable");
  if (request.enabled === false && ENABLED.has(enabled)) return step("disable");
  return [];
}

function enabledAfter(request: UnitRequest, enabled: string): string {
  if (request.enabled === true && !UNTOGGLEABLE.has(enabled)) return "enabled";
  if (request.enabled === false && ENABLED.has(enabled)) return "disabled";
  return enabled;
}

/** The unit once the steps ran; a start may make the daemon write files (its state, its config), which check mode cannot foresee. */
function unitEffects(request: UnitRequest, unit: UnitFacts): Effect[] {
  const active = request.state === "stopped" ? false : request.state === undefined ? unit.active : true;
  const after: UnitState = { loaded: true, active, enabled: enabledAfter(request, enabledAfterMask(request, unit.enabled)), needsReload: false };
  const effects: Effect[] = [{ kind: "thing", subject: unitSubject(request), after }];
  if (active && request.state !== undefined) effects.push({ kind: "unknown", what: `what ${request.name} writes once it runs` });
  return effects;
}

/**
 * daemon-reload and daemon-reexec, whenever asked (as Ansible): neither counts as a change.
 * Skipping the reload when systemd reports NeedDaemonReload=no is not safe: systemd 252 reports
 * no for a drop-in written into a .d directory that did not exist when it loaded the unit, and
 * the restart that follows would run without it.
 */
function daemonSteps(request: UnitRequest): Step[] {
  const base = systemctl({ scope: request.scope });
  return [
    ...(request.daemon_reload ? [{ kind: "run", argv: [...base, "daemon-reload"] } as const] : []),
    ...(request.daemon_reexec === true ? [{ kind: "run", argv: [...base, "daemon-reexec"] } as const] : []),
  ];
}

/** The plan for one unit, or for the daemon alone when `unit` is undefined (systemd without a name). */
export function planUnit(request: UnitRequest, unit: UnitFacts | undefined, ctx: PlanContext): Plan {
  if (ctx.facts !== undefined && ctx.facts.serviceManager !== "systemd") return fail(`service manager ${ctx.facts.serviceManager} is not supported (systemd only)`);
  const daemon = daemonSteps(request);
  if (unit === undefined) return { kind: "ok", msg: "systemd reloaded", steps: daemon };
  // After daemon-reload a new unit file may appear; only then is "not found" not yet final.
  if (!unit.load.loaded && !request.daemon_reload) return fail(`could not find the unit ${request.name}`, "check the name with `systemctl list-unit-files`");
  const maskedWord = enabledAfterMask(request, unit.enabled);
  const steps: Step[] = [...maskSteps(request, unit.enabled), ...stateSteps(request, unit.active), ...enableSteps(request, maskedWord)];
  // daemon-reload alone changes no unit's state: run it, but report ok.
  if (steps.length === 0) return daemon.length > 0 ? { kind: "ok", msg: "unit is as wanted", steps: daemon } : ok("unit is as wanted");
  return change([...daemon, ...steps], undefined, unitEffects(request, unit));
}
