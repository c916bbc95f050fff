/**
 * Open vSwitch database access for the ovs_* modules: a pure parser of `ovs-vsctl --format=json
 * list` tables (OVSDB's ["set", [...]], ["map", [[k, v]...]] and ["uuid", id] encodings), and
 * the `column:key=value` words of `ovs-vsctl set` with ovs-vsctl's own quoting. The probe all
 * the modules share is in ovs-snapshot.ts.
 */

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

/** The rows of one `ovs-vsctl --format=json --columns=... list TABLE` table, keyed by heading. */
export function parseOvsTable(stdout: string): OvsRow[] {
  const parsed = JSON.parse(stdout) as { data?: unknown; headings?: unknown };
  const headings = Array.isArray(parsed.headings) ? parsed.headings.map(String) : [];
  const data = Array.isArray(parsed.data) ? (parsed.data as unknown[]) : [];
  return data.filter(Array.isArray).map((row) => Object.fromEntries(headings.map((heading, index) => [heading, decodeCell((row as unknown[])[index])])));
}

/** An interface's type; OVS stores the system type (a NIC or veth) as "". */
export function interfaceType(row: OvsRow | undefined): string {
  const type = row?.["type"];
  return type === undefined || type === "" ? "system" : String(type);
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
