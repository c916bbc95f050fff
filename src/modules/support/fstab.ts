/**
 * mount's pure edit of an fstab, with ansible.posix.mount's rules: fields are escaped (space
 * \040, & \046, backslash \134); an entry is found by its mount point (a swap line `none` also
 * by its source); comments, blank lines and lines of another shape are kept byte for byte.
 * Setting an entry rewrites every line for that mount point whose fields differ, as
 * `src path fstype opts dump passno`, and appends one when there is none; a 4- or 5-field line
 * is always rewritten in full. Removing takes only 6-field lines, as Ansible does.
 */

export interface FstabEntry {
  readonly src: string;
  readonly path: string;
  readonly fstype: string;
  readonly opts: string;
  readonly dump: string;
  readonly passno: string;
}

export const escapeFstab = (value: string): string => value.replace(/\\/g, "\\134").replace(/ /g, "\\040").replace(/&/g, "\\046");

const entryLine = (entry: FstabEntry): string => `${entry.src} ${entry.path} ${entry.fstype} ${entry.opts} ${entry.dump} ${entry.passno}\n`;

function escaped(entry: FstabEntry): FstabEntry {
  return { src: escapeFstab(entry.src), path: escapeFstab(entry.path), fstype: escapeFstab(entry.fstype), opts: escapeFstab(entry.opts), dump: entry.dump, passno: entry.passno };
}

/** Lines with their endings, as Python's readlines() gives them. */
const readLines = (text: string): string[] => text.match(/[^\n]*\n|[^\n]+$/g) ?? [];

const isData = (line: string): boolean => line.trim() !== "" && !line.trim().startsWith("#");

/** Whether a line's fields name this entry's mount point (and, for swap, its source). */
function names(fields: readonly string[], path: string, src: string | undefined): boolean {
  const [lineSrc, linePath, lineType] = fields;
  if (linePath !== path) return false;
  return !(src !== undefined && linePath === "none" && lineType === "swap" && lineSrc !== src);
}

/** The fstab with the entry set: the new text and whether anything changed. */
export function setFstabEntry(text: string, wanted: FstabEntry): { readonly text: string; readonly changed: boolean } {
  const entry = escaped(wanted);
  let exists = false;
  let changed = false;
  const out = readLines(text).map((raw) => {
    const line = raw.endsWith("\n") ? raw : `${raw}\n`;
    const fields = line.split(/\s+/).filter((field) => field !== "");
    if (!isData(line) || fields.length < 4 || fields.length > 6 || !names(fields, entry.path, escapeFstab(wanted.src))) return line;
    exists = true;
    const [src, , fstype, opts, dump, passno] = fields;
    // A 4- or 5-field line is always rewritten: Ansible's missing dump/passno are the number 0, never equal to the string "0".
    if (src !== entry.src || fstype !== entry.fstype || opts !== entry.opts || dump !== entry.dump || passno !== entry.passno) changed = true;
    return changed ? entryLine(entry) : line;
  });
  if (!exists) return { text: out.join("") + entryLine(entry), changed: true };
  return { text: changed ? out.join("") : text, changed };
}

/** The fstab without the entry for `path` (6-field lines only). */
export function removeFstabEntry(text: string, path: string, src: string | undefined): { readonly text: string; readonly changed: boolean } {
  let changed = false;
  const kept = readLines(text).filter((line) => {
    const fields = line.split(/\s+/).filter((field) => field !== "");
    if (!isData(line) || fields.length !== 6 || !names(fields, escapeFstab(path), src === undefined ? undefined : escapeFstab(src))) return true;
    changed = true;
    return false;
  });
  return { text: kept.join(""), changed };
}
