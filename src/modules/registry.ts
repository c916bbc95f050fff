/**
 * All modules by name, Ansible's aliases for them, argument validation with readable messages,
 * and the editor JSON Schema, all from each module's one zod schema.
 */
import { z } from "zod";
import { didYouMean } from "../errors.js";
import type { ModuleCatalog } from "../playbook/catalog.js";
import type { Vars } from "../playbook/model.js";
import { fullyQualifiedName, qualifiedNameFix, qualifiedNameTable } from "./names.js";
import type { ModuleDefinition } from "./types.js";
import { aptKeyModule } from "./apt-key.js";
import { aptRepository } from "./apt-repository.js";
import { apt } from "./apt.js";
import { artifact } from "./artifact.js";
import { asyncStatus } from "./async-status.js";
import { assert } from "./assert.js";
import { authorizedKey } from "./authorized-key.js";
import { blockinfile } from "./blockinfile.js";
import { command } from "./command.js";
import { copy } from "./copy.js";
import { cron } from "./cron.js";
import { debug } from "./debug.js";
import { dnf } from "./dnf.js";
import { envFile } from "./env-file.js";
import { etcdKey } from "./etcd-key.js";
import { fail } from "./fail.js";
import { file } from "./file.js";
import { getUrl } from "./get-url.js";
import { group } from "./group.js";
import { hostname } from "./hostname.js";
import { iptables } from "./iptables.js";
import { includeVars } from "./include-vars.js";
import { ipLinkModule } from "./ip-link.js";
import { ipRoute } from "./ip-route.js";
import { lineinfile } from "./lineinfile.js";
import { modprobe } from "./modprobe.js";
import { mount } from "./mount.js";
import { ovsBridge } from "./ovs-bridge.js";
import { ovsPort } from "./ovs-port.js";
import { ovsPorts } from "./ovs-ports.js";
import { packageModule } from "./package.js";
import { ping } from "./ping.js";
import { raw } from "./raw.js";
import { script } from "./script.js";
import { replace } from "./replace.js";
import { reboot } from "./reboot.js";
import { service } from "./service.js";
import { serviceFactsModule } from "./service-facts.js";
import { setFact } from "./set-fact.js";
import { shell } from "./shell.js";
import { slurp } from "./slurp.js";
import { fetch } from "./fetch.js";
import { stat } from "./stat.js";
import { sysctl } from "./sysctl.js";
import { systemd } from "./systemd.js";
import { template } from "./template.js";
import { unarchive } from "./unarchive.js";
import { uri } from "./uri.js";
import { user } from "./user.js";
import { waitFor } from "./wait-for.js";
import { waitForConnection } from "./wait-for-connection.js";
import { yum } from "./yum.js";
import { yumRepository } from "./yum-repository.js";

// Each module is typed by its own schema; the registry holds them at the common, erased type
// (plan's argument type is contravariant, so the array needs the cast).
const definitions: readonly ModuleDefinition[] = [
  command, shell, raw, script, copy, template, file, lineinfile, blockinfile, packageModule, apt, dnf, yum, service, serviceFactsModule, sysctl, systemd,
  user, group, cron, mount, hostname, modprobe, aptKeyModule, aptRepository, iptables, reboot, artifact, waitFor, waitForConnection, debug, setFact, assert, fail, stat, ping,
  includeVars, ipLinkModule, ipRoute, ovsBridge, ovsPort, ovsPorts, envFile, etcdKey,
  replace, slurp, fetch, authorizedKey, getUrl, unarchive, uri, asyncStatus, yumRepository,
] as readonly ModuleDefinition[];

/** The modules by their own names. */
export const modules: ReadonlyMap<string, ModuleDefinition> = new Map(definitions.map((definition) => [definition.name, definition]));

/**
 * Ansible's short names for modules runbook knows under another name (a module of that very
 * name, once it exists, wins). Their qualified spellings come from the target's collection.
 */
const EXTRA_SHORT_NAMES: Readonly<Record<string, string>> = {
  systemd_service: "systemd",
};

const extraShortNames: ReadonlyMap<string, string> = new Map(Object.entries(EXTRA_SHORT_NAMES).filter(([alias]) => !modules.has(alias)));

/** Every fully qualified spelling (ansible.posix.sysctl, ansible.builtin.sysctl, ansible.legacy.sysctl) to its short name. */
const qualifiedNames: ReadonlyMap<string, string> = qualifiedNameTable(definitions, EXTRA_SHORT_NAMES);

/** Every name getModule knows, for suggestions and the editor schema. */
export function moduleNames(): string[] {
  return [...modules.keys(), ...extraShortNames.keys(), ...qualifiedNames.keys()];
}

/** The short name a (qualified) name stands for, as the task keeps it: `ansible.posix.sysctl` -> `sysctl`; undefined when unknown. */
export function shortModuleName(name: string): string | undefined {
  const short = qualifiedNames.get(name) ?? name;
  return modules.has(short) || extraShortNames.has(short) ? short : undefined;
}

/** The module for a name, alias or qualified name; undefined when unknown (see unknownModuleHint). */
export function getModule(name: string): ModuleDefinition | undefined {
  const short = shortModuleName(name);
  if (short === undefined) return undefined;
  return modules.get(short) ?? modules.get(extraShortNames.get(short) ?? "");
}

/** The module's fully qualified name (`ansible.posix.sysctl`) for any of its names. */
export function moduleFqcn(name: string): string | undefined {
  const definition = getModule(name);
  return definition === undefined ? undefined : fullyQualifiedName(definition);
}

/** A hint for an unknown module name: the right collection for a known module, or the closest names. */
export function unknownModuleHint(name: string): string {
  return moduleSuggestion(name) ?? `known modules: ${[...modules.keys()].sort().join(", ")}`;
}

function moduleSuggestion(name: string): string | undefined {
  return collectionHint(name) ?? didYouMean(name, moduleNames());
}

/** For a known module in the wrong collection (community.general.sysctl): its right name. */
function collectionHint(name: string): string | undefined {
  const fix = qualifiedNameFix(name, qualifiedNames, moduleFqcn);
  return fix === undefined ? undefined : `did you mean '${fix}'? (${name.slice(name.lastIndexOf(".") + 1)} is in ${fix.slice(0, fix.lastIndexOf("."))})`;
}

export interface ArgumentIssue {
  readonly path: readonly (string | number)[];
  readonly message: string;
  readonly hint?: string | undefined;
}

export type ValidationResult = { readonly ok: true; readonly args: unknown } | { readonly ok: false; readonly issues: readonly ArgumentIssue[] };

/** Validates raw task arguments against the module's schema; the module must exist. */
export function validateArgs(moduleName: string, rawArgs: unknown): ValidationResult {
  const definition = getModule(moduleName);
  if (definition === undefined) {
    return { ok: false, issues: [{ path: [], message: `unknown module '${moduleName}'`, hint: unknownModuleHint(moduleName) }] };
  }
  if (!VALIDATION_CACHE) return validate(definition, rawArgs);
  // The same arguments come back for every host, and again from the pre-flight, the read-ahead
  // and the run: parse each distinct set once. Results are shared, so nothing may modify them.
  const key = `${definition.name}\0${JSON.stringify(rawArgs ?? {})}`;
  const known = validations.get(key);
  if (known !== undefined) return known;
  if (validations.size >= VALIDATIONS_KEPT) validations.clear();
  const result = validate(definition, rawArgs);
  validations.set(key, result);
  return result;
}

const validations = new Map<string, ValidationResult>();
const VALIDATIONS_KEPT = 10_000;
/** RUNBOOK_VALIDATION_CACHE=off parses every time, to show that the cache changes nothing but speed. */
const VALIDATION_CACHE = process.env["RUNBOOK_VALIDATION_CACHE"] !== "off";

function validate(definition: ModuleDefinition, rawArgs: unknown): ValidationResult {
  const result = definition.schema.safeParse(rawArgs ?? {});
  if (result.success) return { ok: true, args: result.data };
  // Ansible takes an argument that is None (`mode: "{{ unset }}"` with a null variable) as not given
  const given = withoutNulls(rawArgs);
  const retried = given === rawArgs ? undefined : definition.schema.safeParse(given);
  if (retried?.success === true) return { ok: true, args: retried.data };
  return { ok: false, issues: result.error.issues.flatMap((issue) => describeIssue(definition.schema, rawArgs, issue)) };
}

/** The arguments without those whose value is null (the same object when there are none). */
function withoutNulls(rawArgs: unknown): unknown {
  if (rawArgs === null || typeof rawArgs !== "object" || Array.isArray(rawArgs)) return rawArgs;
  const entries = Object.entries(rawArgs);
  return entries.some(([, value]) => value === null) ? Object.fromEntries(entries.filter(([, value]) => value !== null)) : rawArgs;
}

/** The JSON Schema of a module's arguments (what a playbook may write), for editors and `runbook doc`. */
export function moduleJsonSchema(name: string): Record<string, unknown> {
  const definition = getModule(name);
  if (definition === undefined) throw new Error(`unknown module '${name}'`);
  const json = z.toJSONSchema(definition.schema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  addDefaults(definition.schema, json);
  return json;
}

/** zod leaves `.default()` values out of input-side JSON Schema; editors and `runbook doc` want them. */
function addDefaults(schema: z.ZodType, json: Record<string, unknown>): void {
  const object = unwrap(schema);
  const properties = json.properties as Record<string, Record<string, unknown>> | undefined;
  if (!(object instanceof z.ZodObject) || properties === undefined) return;
  for (const [key, field] of Object.entries(object.shape as Record<string, z.ZodType>)) {
    const property = properties[key];
    if (field instanceof z.ZodDefault && property !== undefined) property.default = field.def.defaultValue;
  }
}

function describeIssue(schema: z.ZodType, raw: unknown, issue: z.core.$ZodIssue): ArgumentIssue[] {
  const path = issue.path.filter((part): part is string | number => typeof part !== "symbol");
  if (issue.code === "unrecognized_keys") {
    const known = objectKeysAt(schema, path);
    return issue.keys.map((key) => ({
      path: [...path, key],
      message: `unknown argument '${key}'`,
      hint: didYouMean(key, known) ?? (known.length > 0 ? `valid arguments: ${known.join(", ")}` : undefined),
    }));
  }
  if (issue.code === "invalid_key") {
    return [{ path, message: `bad name '${String(path[path.length - 1])}': ${issue.issues[0]?.message ?? issue.message}` }];
  }
  const value = valueAt(raw, path);
  const name = String(path[path.length - 1] ?? "arguments");
  if (issue.code !== "custom" && value === undefined && path.length > 0) {
    return [{ path, message: `missing required argument '${name}'` }];
  }
  if (issue.code === "invalid_type") {
    return [{ path, message: `expected ${issue.expected}, got ${describeValue(value)}` }];
  }
  if (issue.code === "custom" || value === undefined) return [{ path, message: issue.message }];
  return [{ path, message: `${issue.message}, got ${describeValue(value)}` }];
}

/** A value's kind and, when short, the value itself: "string 'maybe'", "number 12", "list". */
function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return value.length <= 40 ? `string '${value}'` : "a long string";
  return `${typeof value} ${String(value)}`;
}

function valueAt(raw: unknown, path: readonly (string | number)[]): unknown {
  let value = raw;
  for (const part of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<string | number, unknown>)[part];
  }
  return value;
}

/** Looks through pipes, optionals and defaults to the object schema at `path`, and lists its keys. */
function objectKeysAt(schema: z.ZodType, path: readonly (string | number)[]): string[] {
  let current: z.ZodType | undefined = unwrap(schema);
  for (const part of path) {
    if (current instanceof z.ZodObject) current = unwrap(current.shape[String(part)] as z.ZodType | undefined);
    else if (current instanceof z.ZodArray) current = unwrap(current.element as z.ZodType);
    else return [];
  }
  return current instanceof z.ZodObject ? Object.keys(current.shape) : [];
}

function unwrap(schema: z.ZodType | undefined): z.ZodType | undefined {
  let current = schema;
  for (;;) {
    if (current instanceof z.ZodPipe) current = current.in as z.ZodType;
    else if (current instanceof z.ZodOptional || current instanceof z.ZodDefault) current = current.def.innerType as z.ZodType;
    else return current;
  }
}

/** The registry as the playbook loader sees it: names, argument names and validation at load time. */
export const moduleCatalog: ModuleCatalog = {
  has: (name) => getModule(name) !== undefined,
  names: () => moduleNames(),
  shortName: (name) => shortModuleName(name) ?? name,
  hint: (name) => collectionHint(name),
  argumentNames: (name) => {
    const definition = getModule(name);
    if (definition === undefined) return undefined;
    const keys = objectKeysAt(definition.schema, []);
    // A free mapping (set_fact) has no fixed names: leave them to validation.
    return keys.length > 0 ? keys : undefined;
  },
  validate: (name, args) => {
    const result = validateArgs(name, args);
    return result.ok ? { ok: true, args: result.args as Vars } : result;
  },
};
