/**
 * cron's pure edit of a crontab's text, with Ansible's rules (ansible.builtin.cron):
 *
 * - a job is the line after its marker `#Ansible: NAME`; a job line that equals the wanted one
 *   but has no marker gets the marker put before it;
 * - a job line is `[#]minute hour day month weekday [user] job` or `[#]@special [user] job`
 *   (`#` when disabled; the user only in a cron_file, as /etc/cron.d wants);
 * - an environment variable (env: true) is the line `NAME="value"`, found by `^NAME=`, added at
 *   the top or after/before another variable;
 * - a text without a final newline gets one, and counts as a change.
 */

export const MARKER = "#Ansible: ";

export interface JobLine {
  readonly minute: string;
  readonly hour: string;
  readonly day: string;
  readonly month: string;
  readonly weekday: string;
  readonly special?: string | undefined;
  readonly job: string;
  readonly disabled: boolean;
  /** The user column of a cron_file line; undefined for a user's own crontab. */
  readonly fileUser?: string | undefined;
}

export interface CronEdit {
  readonly name: string;
  readonly state: "present" | "absent";
  /** The wanted job line (state present), or the variable's value with env. */
  readonly line?: string | undefined;
  readonly env: boolean;
  readonly insertafter?: string | undefined;
  readonly insertbefore?: string | undefined;
}

export type CronResult =
  | { readonly ok: true; readonly text: string; readonly jobs: string[]; readonly envs: string[]; readonly emptied: boolean }
  | { readonly ok: false; readonly error: string };

/** The crontab line of a job. */
export function jobLine(job: JobLine): string {
  const prefix = job.disabled ? "#" : "";
  const user = job.fileUser === undefined ? "" : ` ${job.fileUser}`;
  const command = job.job.replace(/^[\r\n]+|[\r\n]+$/g, "");
  if (job.special !== undefined) return `${prefix}@${job.special}${user} ${command}`;
  return `${prefix}${job.minute} ${job.hour} ${job.day} ${job.month} ${job.weekday}${user} ${command}`;
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The job after the marker NAME: its line, or undefined. The line after another marker is never a marker itself. */
function markedJob(lines: readonly string[], name: string): string | undefined {
  let marker: string | undefined;
  for (const line of lines) {
    if (marker !== undefined) {
      if (marker === name) return line;
      marker = undefined;
    } else if (line.startsWith(MARKER)) {
      marker = line.slice(MARKER.length);
    }
  }
  return undefined;
}

/** Replaces (or, with `job` undefined, removes) the marker NAME and the line after it, everywhere. */
function replaceJob(lines: readonly string[], name: string, job: string | undefined): string[] {
  const out: string[] = [];
  let afterMarker = false;
  for (const line of lines) {
    if (afterMarker) {
      if (job !== undefined) out.push(MARKER + name, job);
      afterMarker = false;
    } else if (line === MARKER + name) {
      afterMarker = true;
    } else {
      out.push(line);
    }
  }
  return out;
}

function editJob(lines: string[], edit: CronEdit): string[] {
  if (edit.state === "absent") return markedJob(lines, edit.name) === undefined ? lines : replaceJob(lines, edit.name, undefined);
  const wanted = edit.line ?? "";
  const found = markedJob(lines, edit.name);
  if (found !== undefined) return found === wanted ? lines : replaceJob(lines, edit.name, wanted);
  const index = lines.indexOf(wanted);
  if (index < 0) return [...lines, MARKER + edit.name, wanted];
  // An unmarked copy of the job: it gets its marker (a nameless marker before it takes the name).
  // (Python's lines[i - 1]: the last line when the job is the first)
  const before = index > 0 ? lines[index - 1] : lines[lines.length - 1];
  const next = [...lines];
  if (!before?.startsWith(MARKER)) next.splice(index, 0, MARKER + edit.name);
  else if (before === `${MARKER}None` && index > 0) next[index - 1] = MARKER + edit.name;
  else return [...lines, MARKER + edit.name, wanted];
  return replaceJob(next, edit.name, wanted);
}

const envIndex = (lines: readonly string[], name: string): number => lines.findIndex((line) => new RegExp(`^${escapeRegExp(name)}=`).test(line));

function editEnv(lines: string[], edit: CronEdit): string[] | string {
  if (edit.name.includes(" ")) return "Invalid name for environment variable";
  const at = envIndex(lines, edit.name);
  const matches = (line: string): boolean => new RegExp(`^${escapeRegExp(edit.name)}=`).test(line);
  if (edit.state === "absent") return at < 0 ? lines : lines.filter((line) => !matches(line));
  const decl = `${edit.name}="${edit.line ?? ""}"`;
  if (at >= 0) return lines[at] === decl ? lines : lines.map((line) => (matches(line) ? decl : line));
  const other = edit.insertafter ?? edit.insertbefore;
  if (other === undefined) return [decl, ...lines];
  const otherAt = envIndex(lines, other);
  if (otherAt < 0) return `Variable named '${other}' not found.`;
  const next = [...lines];
  next.splice(edit.insertafter !== undefined ? otherAt + 1 : otherAt, 0, decl);
  return next;
}

/** Lines as Python's splitlines() gives them for \n, \r\n and \r. */
const splitLines = (text: string): string[] => (text === "" ? [] : text.replace(/(\r\n|\r|\n)$/, "").split(/\r\n|\r|\n/));

function render(lines: readonly string[]): string {
  const text = lines.join("\n");
  return text === "" ? "" : `${text.replace(/[\r\n]+$/, "")}\n`;
}

/** Edits a crontab's text; `emptied`: a cron_file whose last job went (Ansible then deletes the file). */
export function editCrontab(text: string, edit: CronEdit): CronResult {
  const lines = splitLines(text);
  const edited = edit.env ? editEnv(lines, edit) : editJob(lines, edit);
  if (typeof edited === "string") return { ok: false, error: edited };
  const jobs = edited.filter((line) => line.startsWith(MARKER)).map((line) => line.slice(MARKER.length));
  const envs = edited.filter((line) => /^\S+=/.test(line)).map((line) => line.split("=")[0] ?? "");
  const removedJob = !edit.env && edit.state === "absent" && edited !== lines;
  const emptied = removedJob && edited.every((line) => line.trim() === "");
  const unchanged = edited === lines && (text === "" || /[\r\n]$/.test(text));
  return { ok: true, text: unchanged ? text : render(edited), jobs, envs, emptied };
}
