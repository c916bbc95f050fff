/**
 * apt_repository's pure model of apt's one-line sources, with Ansible's rules: a line is
 * `[#] type [options] uri suite [components] [# comment]`, compared with whitespace collapsed;
 * adding a repository enables every disabled copy of it, or else appends it to its own file
 * (`filename`, or one named after the repository's host and path); removing deletes every
 * enabled copy. A file left without lines is deleted. Files are written in Ansible's
 * normalised form (`# ` before a disabled line, ` # ` before a comment).
 */

const SOURCE_TYPES = new Set(["deb", "deb-src", "rpm", "rpm-src"]);

export interface SourceLine {
  readonly valid: boolean;
  readonly enabled: boolean;
  readonly source: string;
  readonly comment: string;
}

export function parseSourceLine(raw: string): SourceLine {
  let line = raw.trim();
  let enabled = true;
  if (line.startsWith("#")) {
    enabled = false;
    line = line.slice(1);
  }
  let comment = "";
  const hash = line.indexOf("#");
  if (hash > 0) {
    comment = line.slice(hash + 1).trim();
    line = line.slice(0, hash);
  }
  let source = line.trim();
  const chunks = source.split(/\s+/);
  const valid = source !== "" && SOURCE_TYPES.has(chunks[0] ?? "");
  if (valid) source = chunks.join(" ");
  return { valid, enabled, source, comment };
}

const renderLine = (line: SourceLine): string => `${line.enabled ? "" : "# "}${line.source}${line.comment ? ` # ${line.comment}` : ""}\n`;

export type Sources = Map<string, SourceLine[]>;

export function loadSources(files: ReadonlyMap<string, string>): Sources {
  const sources: Sources = new Map();
  for (const [path, text] of files) sources.set(path, (text.match(/[^\n]*\n|[^\n]+$/g) ?? []).map(parseSourceLine));
  return sources;
}

/** Each file's normalised text; a file without lines has none. */
export function dumpSources(sources: Sources): Map<string, string> {
  return new Map([...sources].filter(([, lines]) => lines.length > 0).map(([path, lines]) => [path, lines.map(renderLine).join("")]));
}

/** The file a new repository goes to: sources.list.d/NAME.list, NAME from `filename` or the repository's host and path. */
export function sourceFile(source: string, filename: string | undefined, dir: string): string {
  let name = filename;
  if (name === undefined) {
    const stripped = source.replace(/\[[^\]]+\]/g, "").replace(/\w+:\/\//g, "");
    const first = stripped.split(/\s+/).filter((part) => part !== "" && !SOURCE_TYPES.has(part))[0] ?? "";
    const host = first.includes("@") ? first.slice(first.indexOf("@") + 1) : first;
    name = host.replace(/[^a-zA-Z0-9]/g, " ").split(/\s+/).filter((part) => part !== "").join("_");
  }
  const file = `${name}.list`;
  return file.includes("/") ? file : `${dir}/${file}`;
}

/** Adds the repository (enabling disabled copies); returns the file it was appended to, if any. */
export function addSource(sources: Sources, source: string, file: string): string | undefined {
  let found = false;
  for (const lines of sources.values()) {
    lines.forEach((line, index) => {
      if (line.valid && line.source === source) {
        lines[index] = { ...line, enabled: true };
        found = true;
      }
    });
  }
  if (found) return undefined;
  sources.set(file, [...(sources.get(file) ?? []), { valid: true, enabled: true, source, comment: "" }]);
  return file;
}

export function removeSource(sources: Sources, source: string): void {
  for (const [path, lines] of sources) sources.set(path, lines.filter((line) => !(line.valid && line.enabled && line.source === source)));
}
