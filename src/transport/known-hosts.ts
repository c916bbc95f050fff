/**
 * OpenSSH known_hosts, read by us because ssh2 only offers a `hostVerifier` callback.
 * Supported: plain patterns with `*`/`?` wildcards and `!` negation, comma lists, `[host]:port`,
 * hashed `|1|salt|hash` names (HMAC-SHA1 of the name keyed by the salt), `@revoked` keys, any key
 * type (compared as the exact key blob). `@cert-authority` lines are ignored (no certificates).
 */
import { createHmac } from "node:crypto";

export interface KnownHostEntry {
  readonly marker: "revoked" | "cert-authority" | undefined;
  readonly patterns: string;
  readonly keyType: string;
  /** The base64 key blob, as written in the file. */
  readonly key: string;
  /** 1-based line number, for messages. */
  readonly line: number;
}

/** Parses known_hosts text; comment, blank and malformed lines are skipped. */
export function parseKnownHosts(text: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  text.split("\n").forEach((raw, index) => {
    const fields = raw.trim().split(/\s+/);
    if (fields[0] === undefined || fields[0] === "" || fields[0].startsWith("#")) return;
    let marker: KnownHostEntry["marker"];
    if (fields[0] === "@revoked" || fields[0] === "@cert-authority") {
      marker = fields[0] === "@revoked" ? "revoked" : "cert-authority";
      fields.shift();
    }
    const [patterns, keyType, key] = fields;
    if (patterns === undefined || keyType === undefined || key === undefined) return;
    entries.push({ marker, patterns, keyType, key, line: index + 1 });
  });
  return entries;
}

/** The name OpenSSH looks up: `host` on port 22, `[host]:port` otherwise. */
export function knownHostName(address: string, port: number): string {
  return port === 22 ? address : `[${address}]:${port}`;
}

/** Whether an entry's host field (comma list, wildcards, negation or one hashed name) matches `name`. */
export function patternsMatch(patterns: string, name: string): boolean {
  if (patterns.startsWith("|1|")) return hashedMatches(patterns, name);
  let matched = false;
  for (const pattern of patterns.split(",")) {
    const negated = pattern.startsWith("!");
    if (wildcardMatch(negated ? pattern.slice(1) : pattern, name)) {
      if (negated) return false; // a matching negation wins over everything
      matched = true;
    }
  }
  return matched;
}

/** `|1|base64(salt)|base64(HMAC-SHA1(salt, name))`, as written with HashKnownHosts. */
export function hashedMatches(field: string, name: string): boolean {
  const [, , salt, hash] = field.split("|");
  if (salt === undefined || hash === undefined) return false;
  const digest = createHmac("sha1", Buffer.from(salt, "base64")).update(name).digest("base64");
  return digest === hash;
}

/** Writes `name` hashed the way `ssh-keygen -H` does, with the given 20-byte salt. */
export function hashHostName(name: string, salt: Buffer): string {
  const digest = createHmac("sha1", salt).update(name).digest("base64");
  return `|1|${salt.toString("base64")}|${digest}`;
}

function wildcardMatch(pattern: string, name: string): boolean {
  // Most lines name one host plainly: compare, instead of compiling a regex per line per host.
  if (!pattern.includes("*") && !pattern.includes("?")) return pattern.toLowerCase() === name.toLowerCase();
  const source = [...pattern.toLowerCase()]
    .map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\]/g, "\\$&")))
    .join("");
  return new RegExp(`^${source}$`).test(name.toLowerCase());
}

export type HostKeyVerdict =
  | { readonly kind: "known"; readonly line: number }
  | { readonly kind: "unknown"; readonly otherTypes: readonly string[] }
  | { readonly kind: "changed"; readonly line: number; readonly keyType: string }
  | { readonly kind: "revoked"; readonly line: number };

/**
 * Checks a presented key (type + base64 blob) for `name` against the entries, as OpenSSH does:
 * a revoked key is refused for every host; a matching line of the same type with another key is
 * a changed key; keys known only for other types leave the key unknown.
 */
export function checkHostKey(entries: readonly KnownHostEntry[], name: string, keyType: string, key: string): HostKeyVerdict {
  const revoked = entries.find((e) => e.marker === "revoked" && e.key === key);
  if (revoked) return { kind: "revoked", line: revoked.line };
  const forHost = entries.filter((e) => e.marker === undefined && patternsMatch(e.patterns, name));
  const same = forHost.find((e) => e.keyType === keyType && e.key === key);
  if (same) return { kind: "known", line: same.line };
  const changed = forHost.find((e) => e.keyType === keyType);
  if (changed) return { kind: "changed", line: changed.line, keyType };
  return { kind: "unknown", otherTypes: [...new Set(forHost.map((e) => e.keyType))] };
}

/** The key types known for `name`, in file order (used to prefer them in the key exchange, as OpenSSH does). */
export function knownKeyTypes(entries: readonly KnownHostEntry[], name: string): string[] {
  return [...new Set(entries.filter((e) => e.marker === undefined && patternsMatch(e.patterns, name)).map((e) => e.keyType))];
}

/** Reads the key type from an SSH wire-format public key blob (a length-prefixed string first). */
export function keyTypeOfBlob(blob: Buffer): string {
  if (blob.length < 4) return "unknown";
  const length = blob.readUInt32BE(0);
  return blob.subarray(4, 4 + length).toString("latin1");
}
