/**
 * The pure half of authorized_key: an authorized_keys text as Ansible's module reads it (one
 * entry per key blob; comments, blank and unknown lines kept as they are), the wanted keys
 * added or removed, and the text written back the way Ansible writes it. Ansible's quirks are
 * kept on purpose, since the oracle decides: a changed key moves to the end, a key without a
 * comment is written with a trailing space, duplicate lines collapse into one.
 */

const KEY_TYPES: ReadonlySet<string> = new Set([
  "sk-ecdsa-sha2-nistp256@openssh.com", "sk-ecdsa-sha2-nistp256-cert-v01@openssh.com", "webauthn-sk-ecdsa-sha2-nistp256@openssh.com",
  "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp256-cert-v01@openssh.com", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp384-cert-v01@openssh.com",
  "ecdsa-sha2-nistp521", "ecdsa-sha2-nistp521-cert-v01@openssh.com", "sk-ssh-ed25519@openssh.com", "sk-ssh-ed25519-cert-v01@openssh.com",
  "ssh-ed25519", "ssh-ed25519-cert-v01@openssh.com", "ssh-dss", "ssh-rsa", "ssh-xmss@openssh.com", "ssh-xmss-cert-v01@openssh.com",
  "rsa-sha2-256", "rsa-sha2-512", "ssh-rsa-cert-v01@openssh.com", "rsa-sha2-256-cert-v01@openssh.com", "rsa-sha2-512-cert-v01@openssh.com",
  "ssh-dss-cert-v01@openssh.com",
]);

/** Options in their order; a flag's value is null. */
export type KeyOptions = readonly (readonly [string, string | null])[];

export type KeyEntry =
  | { readonly kind: "key"; readonly blob: string; readonly type: string; readonly options: KeyOptions; readonly comment: string; readonly rank: number }
  /** A comment, blank or unknown line, written back byte for byte. */
  | { readonly kind: "line"; readonly line: string; readonly rank: number };

/** Splits options on commas outside quotes (Ansible's parseoptions). */
export function parseOptions(text: string | undefined): KeyOptions {
  if (text === undefined || text === "") return [];
  const parts = text.match(/(?:[^,"']|"[^"]*"|'[^']*')+/g) ?? [];
  return parts.map((part) => {
    const at = part.indexOf("=");
    return at < 0 ? ([part, null] as const) : ([part.slice(0, at), part.slice(at + 1)] as const);
  });
}

/** One line as a key, or undefined when it holds no known key type (Ansible's parsekey). */
export function parseKey(raw: string, rank: number): KeyEntry | undefined {
  const words = raw.replaceAll("\\#", "#").split(/\s+/).filter((word) => word !== "");
  if (words[0] === "#") return { kind: "line", line: raw, rank };
  const typeIndex = words.findIndex((word) => KEY_TYPES.has(word));
  const blob = words[typeIndex + 1];
  if (typeIndex < 0 || blob === undefined) return undefined;
  const options = typeIndex > 0 ? parseOptions(words.slice(0, typeIndex).join(" ")) : [];
  return { kind: "key", blob, type: words[typeIndex] ?? "", options, comment: words.slice(typeIndex + 2).join(" "), rank };
}

const identity = (entry: KeyEntry): string => (entry.kind === "key" ? entry.blob : entry.line);

/** The file's entries by identity, in first-seen order; a later duplicate replaces the earlier. */
export function parseKeyFile(text: string): Map<string, KeyEntry> {
  const entries = new Map<string, KeyEntry>();
  (text.match(/[^\n]*\n|[^\n]+$/g) ?? []).forEach((line, rank) => {
    const entry = parseKey(line, rank) ?? { kind: "line", line, rank };
    entries.set(identity(entry), entry);
  });
  return entries;
}

function optionsText(options: KeyOptions): string {
  if (options.length === 0) return "";
  return `${options.map(([key, value]) => (value === null ? key : `${key}=${value}`)).join(",")} `;
}

/** The entries in rank order (stable), as Ansible's serialize writes them. */
export function serializeKeys(entries: Iterable<KeyEntry>): string {
  return [...entries]
    .sort((a, b) => a.rank - b.rank)
    .map((entry) => (entry.kind === "line" ? entry.line : `${optionsText(entry.options)}${entry.type} ${entry.blob} ${entry.comment}\n`))
    .join("");
}

function sameOptions(a: KeyOptions, b: KeyOptions): boolean {
  const map = (options: KeyOptions): string => JSON.stringify([...new Map(options.map(([key, value]) => [key, value]))].sort());
  return map(a) === map(b);
}

function sameKey(a: KeyEntry, b: KeyEntry): boolean {
  if (a.kind !== "key" || b.kind !== "key") return false;
  return a.type === b.type && a.comment === b.comment && sameOptions(a.options, b.options);
}

export interface KeyRequest {
  readonly keys: string;
  readonly state: "present" | "absent";
  readonly exclusive: boolean;
  readonly keyOptions?: string | undefined;
  readonly comment?: string | undefined;
}

export type KeyEdit = { readonly kind: "edit"; readonly text: string; readonly write: boolean } | { readonly kind: "invalid"; readonly key: string };

/** Ansible's enforce_state on a text: the new text, and whether it must be written. */
export function editKeyFile(current: string, request: KeyRequest): KeyEdit {
  const entries = parseKeyFile(current);
  const existingCount = entries.size;
  const wanted = request.keys.split(/\r\n|\r|\n/).filter((line) => line !== "" && !line.startsWith("#"));
  const keep = new Set<string>();
  let write = false;
  for (const [index, line] of wanted.entries()) {
    const parsed = parseKey(line, index);
    if (parsed === undefined || parsed.kind !== "key") return { kind: "invalid", key: line };
    const key: KeyEntry = {
      ...parsed,
      options: request.keyOptions !== undefined ? parseOptions(request.keyOptions) : parsed.options,
      comment: request.comment ?? parsed.comment,
    };
    const existing = entries.get(key.blob);
    if (request.state === "absent") {
      if (existing !== undefined) write = entries.delete(key.blob);
      continue;
    }
    keep.add(key.blob);
    if (existing !== undefined && sameKey(existing, key)) continue;
    entries.delete(key.blob);
    entries.set(key.blob, { ...key, rank: existingCount + index });
    write = true;
  }
  if (request.state === "present" && request.exclusive) {
    for (const id of [...entries.keys()]) if (!keep.has(id)) write = entries.delete(id) || write;
  }
  return { kind: "edit", text: write ? serializeKeys(entries.values()) : current, write };
}
