/**
 * Open vSwitch database access for the ovs_* modules: the probes (`ovs-vsctl --format=json ...
 * list TABLE ROW`), a pure parser of that JSON (OVSDB's ["set", [...]], ["map", [[k, v]...]]
 * and ["uuid", id] encodings), and the `column:key=value` words of `ovs-vsctl set` with
 * ovs-vsctl's own quoting.
 */
import type { ProbeResult } from "../types.js";

/** A cell as the modules compare it: atoms as text, maps as records, empty sets as undefined. */
export type OvsValue = string | number | boolean | Readonly<Record<string, string>> | readonly OvsValue[] | undefined;

export type OvsRow = Readonly<Record<string, OvsValue>>;

function decodeCell(cell: unknown): OvsValue {
  if (typeof cell === "string" || typeof cell === "number" || typeof cell === "boolean") return cell;
  if (!Array.isArray(cell) || cell.length !== 2) return undefined;
  const [tag, body] = cell as [unknown, unknown];
  if (tag === "uuid" && typeof body === "string") return body;
  if (tag === "map" && Array.isArray(body)) {
    return Object.fromEntries((body as unknown[]).filter(Array.isArray).map((pair) => [String((pair as unknown[])[0]), String((pair as unknown[])[1])]));
  }
  if (tag === "set" && Array.isArray(body)) {
    // An optional column (fail_mode, mtu_request) is a set of zero or one atoms.
    if (body.length === 0) return undefined;
    if (body.length === 1) return decodeCell(body[0]);
    return (body as unknown[]).map(decodeCell);
  }
  return undefined;
}

/** The rows of `ovs-vsctl --format=json --columns=... list TABLE [ROW]`, keyed by heading. */
export function parseOvsTable(stdout: string): OvsRow[] {
  const parsed = JSON.parse(stdout) as { data?: unknown; headings?: unknown };
  const headings = Array.isArray(parsed.headings) ? parsed.headings.map(String) : [];
  const data = Array.isArray(parsed.data) ? (parsed.data as unknown[]) : [];
  return data.filter(Array.isArray).map((row) => Object.fromEntries(headings.map((heading, index) => [heading, decodeCell((row as unknown[])[index])])));
}

/** `ovs-vsctl --format=json --columns=COLUMNS list TABLE [ROW]`. */
export function listArgv(table: string, columns: readonly string[], row?: string): string[] {
  return ["ovs-vsctl", "--format=json", `--columns=${columns.join(",")}`, "list", table, ...(row === undefined ? [] : [row])];
}

/** The row is simply not there ("no row", "no port named"): not an error. */
export function isMissingRow(result: ProbeResult): boolean {
  return result.rc !== 0 && /no row|no port named|no bridge named/i.test(result.stderr);
}

/** A failure that is not "missing": ovs-vsctl absent, database not running, ... */
export function ovsFailure(result: ProbeResult | undefined): string | undefined {
  if (result === undefined) return "no probe result";
  if (result.rc === 0 || isMissingRow(result)) return undefined;
  const detail = result.stderr.trim() || `exit ${result.rc}`;
  return `ovs-vsctl failed: ${detail}`;
}

/** The one row of a `list TABLE ROW` probe, undefined when missing. */
export function probedRow(result: ProbeResult | undefined): OvsRow | undefined {
  if (result === undefined || result.rc !== 0) return undefined;
  return parseOvsTable(result.stdout)[0];
}

const BARE = /^[A-Za-z0-9_.\-/]+$/;

/** A value as ovs-vsctl reads it: bare when plain, else a double-quoted C-style string. */
export function ovsQuote(value: string | number | boolean): string {
  const text = String(value);
  return BARE.test(text) ? text : JSON.stringify(text);
}

/** `column=value` or `column:key=value` for `ovs-vsctl set`. */
export function setWord(column: string, value: string | number | boolean, key?: string): string {
  return `${column}${key === undefined ? "" : `:${ovsQuote(key)}`}=${ovsQuote(value)}`;
}

/** The map entries of `wanted` that `current` lacks or holds differently, as set words. */
export function mapSetWords(column: string, wanted: Readonly<Record<string, string>>, current: OvsValue): string[] {
  const have = typeof current === "object" && current !== null && !Array.isArray(current) ? (current as Readonly<Record<string, string>>) : {};
  return Object.entries(wanted)
    .filter(([key, value]) => have[key] !== value)
    .map(([key, value]) => setWord(column, value, key));
}

/** Map keys `current` holds that `wanted` does not (for an exact map such as a port's options). */
export function extraMapKeys(wanted: Readonly<Record<string, string>>, current: OvsValue): string[] {
  const have = typeof current === "object" && current !== null && !Array.isArray(current) ? Object.keys(current) : [];
  return have.filter((key) => !(key in wanted));
}

/** One `ovs-vsctl` run doing several commands in one database transaction (joined by `--`). */
export function transaction(commands: readonly (readonly string[])[], options: readonly string[] = []): string[] {
  const argv = ["ovs-vsctl", ...options];
  commands.forEach((command, index) => {
    if (index > 0) argv.push("--");
    argv.push(...command);
  });
  return argv;
}
