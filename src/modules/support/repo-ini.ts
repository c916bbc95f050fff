/**
 * .repo files as Ansible's yum_repository reads and writes them (Python's RawConfigParser):
 * `[section]` headers, `key = value` or `key: value` options (keys lower-cased), indented lines
 * continuing the value before them, `#` and `;` comment lines (dropped on a rewrite).
 */

/** Sections in file order, each with its options in file order. */
export type RepoIni = Map<string, Map<string, string>>;

export type ParsedIni = { readonly ok: true; readonly ini: RepoIni } | { readonly ok: false; readonly problem: string };

export function parseRepoIni(text: string): ParsedIni {
  const ini: RepoIni = new Map();
  let section: Map<string, string> | undefined;
  let lastKey: string | undefined;
  for (const [index, line] of text.split("\n").entries()) {
    const trimmed = line.trim();
    if (trimmed === "" || /^[#;]/.test(trimmed)) {
      if (trimmed === "") lastKey = undefined;
      continue;
    }
    if (/^\s/.test(line) && section !== undefined && lastKey !== undefined) {
      section.set(lastKey, `${section.get(lastKey) ?? ""}\n${trimmed}`);
      continue;
    }
    const header = /^\[([^\]]+)\]/.exec(trimmed);
    if (header !== null) {
      section = new Map();
      ini.set(header[1] as string, section);
      lastKey = undefined;
      continue;
    }
    if (section === undefined) return { ok: false, problem: `line ${index + 1}: an option before any [section]` };
    const delimiter = trimmed.search(/[=:]/);
    const key = (delimiter < 0 ? trimmed : trimmed.slice(0, delimiter)).trim().toLowerCase();
    section.set(key, delimiter < 0 ? "" : trimmed.slice(delimiter + 1).trim());
    lastKey = key;
  }
  return { ok: true, ini };
}

/** The text RawConfigParser.write gives: sections and options in order, continuation lines indented by a tab. */
export function writeRepoIni(ini: RepoIni): string {
  let text = "";
  for (const [name, options] of ini) {
    text += `[${name}]\n`;
    for (const [key, value] of options) text += `${key} = ${value.replaceAll("\n", "\n\t")}\n`;
    text += "\n";
  }
  return text;
}

/** Ansible's comparison of before and after (YumRepo.dump): sections and options sorted. */
export function dumpRepoIni(ini: RepoIni): string {
  let text = "";
  for (const name of [...ini.keys()].sort()) {
    text += `[${name}]\n`;
    const options = [...(ini.get(name) ?? new Map<string, string>())].sort(([a, x], [b, y]) => (a === b ? compare(x, y) : compare(a, b)));
    for (const [key, value] of options) text += `${key} = ${value}\n`;
    text += "\n";
  }
  return text;
}

/** Python's string order (by code point), not the locale's. */
const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
