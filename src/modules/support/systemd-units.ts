/**
 * Parsers of systemctl's unit listings for service_facts, giving Ansible's `services` fact:
 * `{ name, state, status, source: "systemd" }` per unit, keyed by the unit's full name
 * (`ssh.service`). Ansible's vocabulary is kept, odd as it is:
 *
 * - a unit systemd has loaded (`list-units --all`) is "running" when its sub-state is running
 *   and "stopped" otherwise (an exited oneshot too); its status is a bad load/active state
 *   (not-found, masked, failed) when it has one, else the unit file's state from
 *   `list-unit-files` (enabled, disabled, static, ...), else its active state;
 * - a unit only in `list-unit-files` (not loaded) has systemd's ActiveState as its state:
 *   "inactive", or an alias's target's state, or "unknown" for a template (`getty@.service`),
 *   whose state systemd cannot show.
 *
 * A unit that something refers to but that has no file is listed with status "not-found", as
 * Ansible lists it: `'x.service' in services` alone does not mean the unit is installed.
 */

export interface ServiceFact {
  readonly name: string;
  readonly state: string;
  readonly status: string;
  readonly source: "systemd";
}

const BAD_STATES = new Set(["not-found", "masked", "failed"]);

/** `systemctl list-units --type=service --all --no-legend --plain`: UNIT LOAD ACTIVE SUB DESCRIPTION. */
export function parseListUnits(stdout: string): Map<string, ServiceFact> {
  const units = new Map<string, ServiceFact>();
  for (const fields of rows(stdout)) {
    const [name, load, active, sub] = fields;
    if (name === undefined || active === undefined || sub === undefined) continue;
    const bad = [load, active, sub].find((value) => value !== undefined && BAD_STATES.has(value));
    units.set(name, { name, state: sub === "running" ? "running" : "stopped", status: bad ?? active, source: "systemd" });
  }
  return units;
}

/** `systemctl list-unit-files --no-legend -- '*.service'`: UNIT FILE STATE [PRESET] -> name to state. */
export function parseListUnitFiles(stdout: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const [name, state] of rows(stdout)) {
    if (name !== undefined && state !== undefined) files.set(name, state);
  }
  return files;
}

/**
 * `systemctl show --property=Names,ActiveState -- '*.service'`: blocks of Names=/ActiveState=
 * for the units systemd holds, read as every name (aliases included) to its ActiveState.
 */
export function parseActiveStates(stdout: string): Map<string, string> {
  const states = new Map<string, string>();
  for (const block of stdout.split(/\n\s*\n/)) {
    const names = /^Names=(.*)$/m.exec(block)?.[1]?.trim().split(/\s+/) ?? [];
    const state = /^ActiveState=(\S+)/m.exec(block)?.[1];
    if (state === undefined) continue;
    for (const name of names) if (name !== "") states.set(name, state);
  }
  return states;
}

/** The `services` fact from the three listings. */
export function serviceFacts(listUnits: string, listUnitFiles: string, activeStates: string): Record<string, ServiceFact> {
  const services = parseListUnits(listUnits);
  const active = parseActiveStates(activeStates);
  for (const [name, fileState] of parseListUnitFiles(listUnitFiles)) {
    const loaded = services.get(name);
    if (loaded === undefined) {
      services.set(name, { name, state: unloadedState(name, active), status: fileState, source: "systemd" });
    } else if (!BAD_STATES.has(loaded.status)) {
      services.set(name, { ...loaded, status: fileState });
    }
  }
  return Object.fromEntries([...services].sort(([a], [b]) => a.localeCompare(b)));
}

/** What `systemctl show -p ActiveState NAME` says of a unit that is not loaded under this name. */
function unloadedState(name: string, active: ReadonlyMap<string, string>): string {
  if (name.endsWith("@.service")) return "unknown";
  return active.get(name) ?? "inactive";
}

function* rows(stdout: string): Generator<string[]> {
  for (const line of stdout.split("\n")) {
    const fields = line.trim().split(/\s+/);
    if (fields[0]?.endsWith(".service")) yield fields;
  }
}
