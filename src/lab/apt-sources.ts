/**
 * The machine's apt sources (deb822 `.sources` and one-line `.list`), as data: where lab
 * hosts may go with --nat, and the mirror debootstrap builds the systemd rootfs from.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export interface AptSource {
  readonly uris: readonly string[];
  readonly suites: readonly string[];
}

/** deb822 stanzas: "URIs:" and "Suites:" fields, stanzas separated by blank lines. */
export function parseSourcesFile(text: string): AptSource[] {
  const sources: AptSource[] = [];
  for (const stanza of text.split(/\n\s*\n/)) {
    const field = (name: string): string[] => {
      const match = new RegExp(`^${name}:\\s*(.*)$`, "im").exec(stanza);
      return match?.[1]?.trim().split(/\s+/).filter(Boolean) ?? [];
    };
    const uris = field("URIs");
    if (uris.length > 0) sources.push({ uris, suites: field("Suites") });
  }
  return sources;
}

/** One-line format: "deb [options] URI SUITE COMPONENTS...". */
export function parseListFile(text: string): AptSource[] {
  const sources: AptSource[] = [];
  for (const line of text.split("\n")) {
    const trimmed = line.replace(/#.*$/, "").trim();
    if (!/^deb(-src)?\s/.test(trimmed)) continue;
    const [uri, suite] = trimmed.replace(/^deb(-src)?\s+(\[[^\]]*\]\s+)?/, "").split(/\s+/);
    if (uri !== undefined) sources.push({ uris: [uri], suites: suite === undefined ? [] : [suite] });
  }
  return sources;
}

/** The host part of a URI ("http://user@host:80/path" -> "host"), if it has one. */
export function uriHost(uri: string): string | undefined {
  return /^[a-z+]+:\/\/(?:[^@/]*@)?(\[[^\]]+\]|[^/:]+)/i.exec(uri)?.[1];
}

function readIfExists(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

export function machineAptSources(aptDir = "/etc/apt"): AptSource[] {
  const sources = parseListFile(readIfExists(join(aptDir, "sources.list")));
  const dir = join(aptDir, "sources.list.d");
  if (existsSync(dir)) {
    for (const file of readdirSync(dir).sort()) {
      if (file.endsWith(".sources")) sources.push(...parseSourcesFile(readIfExists(join(dir, file))));
      else if (file.endsWith(".list")) sources.push(...parseListFile(readIfExists(join(dir, file))));
    }
  }
  return sources;
}

/** Host names of every mirror the machine's apt uses. */
export function mirrorHosts(sources: readonly AptSource[]): string[] {
  return [...new Set(sources.flatMap((source) => source.uris.map(uriHost).filter((host): host is string => host !== undefined)))];
}

/** The mirror that serves `suite` (for debootstrap), or undefined. */
export function mirrorFor(sources: readonly AptSource[], suite: string): string | undefined {
  return sources.find((source) => source.suites.includes(suite))?.uris.find((uri) => /^https?:\/\//.test(uri));
}
