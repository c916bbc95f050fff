/**
 * Many file-state probes (file-state.ts) answered at once: the shell's own tests sort the paths
 * (absent, link, regular file, other), then one `stat` describes every path that exists and one
 * `sha256sum` hashes every regular file asked for. N paths cost two processes (the stat gives the
 * links' targets too, or a `readlink` per link: see STAT_LINKS) instead of a subshell, a `stat`
 * and a `sha256sum` each; a no-change run has one such
 * probe for nearly every file, copy, template and edit task.
 *
 * Each member's result is rebuilt exactly as its own script prints it. Where that cannot be
 * certain, the member is left to its own script: a link to follow (`readlink -f`) runs the
 * original script in the batch, and an output that does not split cleanly (a command failed or
 * complained, a path changed between two commands) leaves the whole group
 * undefined, so the executor runs those probes one by one.
 */
import type { ProbeGroup, ProbeResult } from "../types.js";
import { quote } from "../../transport/quote.js";
import { FILE_STATE_SCRIPT } from "./file-state.js";

const STAT_FORMAT = "%F|%a|%U|%G|%u|%g|%s|%d:%i";

/**
 * RUNBOOK_PROBE_STAT_LINKS=off reads each link's target with a readlink of its own. With it on,
 * when there are links and stat is not a link (busybox's stat quotes %N its own way), the one
 * stat prints every path's %N on a second line too, in the escape quoting style (one line
 * whatever the name: a newline is \n, a backslash \\, other bytes \ooo), and the readlink
 * command only says so ("N").
 */
const STAT_LINKS = process.env["RUNBOOK_PROBE_STAT_LINKS"] !== "off";
/** One letter per member: Absent, Link, Hashed regular file, Existing other, or X: its own script. */
type Kind = "A" | "L" | "H" | "E" | "X";

interface Member {
  readonly path: string;
  readonly checksum: boolean;
  readonly follow: boolean;
}

function memberOf(args: readonly string[]): Member {
  const [path = "", checksum, follow] = args;
  return { path, checksum: checksum === "1", follow: follow === "1" };
}

/** Shell code that sets __rb_kI to member I's kind, with the shell's tests only. */
function kindTest(member: Member, index: number): string {
  const p = quote(member.path);
  const k = `__rb_k${index}`;
  // a link: described by stat and readlink, unless it is to be followed (its own script)
  const link = `if [ -L ${p} ]; then ${k}=${member.follow ? "X" : "L"}`;
  const regular = member.checksum ? `; elif [ -f ${p} ]; then ${k}=H` : "";
  return `${link}${regular}; elif [ -e ${p} ]; then ${k}=E; else ${k}=A; fi`;
}

/** `set --` the paths of the members of these kinds, then run `command` on them if there are any. */
function onPaths(members: readonly Member[], kinds: string, command: string): string {
  const picks = members.map((member, index) => `case $__rb_k${index} in [${kinds}]) set -- "$@" ${quote(member.path)} ;; esac`);
  return ["set --", ...picks, `[ $# -eq 0 ] || ${command} -- "$@"`].join("\n");
}

/** The stat of the LHE paths, with each one's %N when there is a link and stat is GNU's (__rb_kn=1 then). */
function statWithTargets(members: readonly Member[]): string {
  const links = members.map((_, index) => `case $__rb_k${index} in L) __rb_kn=1 ;; esac`);
  const withTargets = onPaths(members, "LHE", `QUOTING_STYLE=escape stat -c '${STAT_FORMAT}\n%N'`);
  const plain = onPaths(members, "LHE", `stat -c '${STAT_FORMAT}'`);
  return ["__rb_kn=", ...links, '{ [ -L /bin/stat ] || [ -L /usr/bin/stat ]; } && __rb_kn=', 'if [ "$__rb_kn" = 1 ]; then', withTargets, "else", plain, "fi"].join("\n");
}

const ESCAPES: Readonly<Record<string, number>> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, "\\": 92 };

/** A line in coreutils' escape quoting style back to its bytes; undefined for an escape it does not write. */
function unescape(line: string): Buffer | undefined {
  const bytes: Buffer[] = [];
  for (let i = 0; i < line.length; ) {
    const next = line.indexOf("\\", i);
    const end = next < 0 ? line.length : next;
    bytes.push(Buffer.from(line.slice(i, end), "utf8"));
    if (next < 0) break;
    const octal = /^[0-7]{3}/.exec(line.slice(next + 1, next + 4));
    const escaped = ESCAPES[line[next + 1] ?? ""];
    if (octal !== null) bytes.push(Buffer.from([Number.parseInt(octal[0], 8)]));
    else if (escaped !== undefined) bytes.push(Buffer.from([escaped]));
    else return undefined;
    i = next + (octal !== null ? 4 : 2);
  }
  return Buffer.concat(bytes);
}

/**
 * The stat lines and link targets of a stat that printed %N too: each path's second line must be
 * the path itself (not a link) or the path, " -> " and the target (a link); the target as
 * `$(readlink)` gives it, trailing newlines dropped. Undefined when any line does not read so.
 */
function splitTargets(lines: readonly string[], entries: readonly { path: string; link: boolean }[]): { stats: string[]; links: string[] } | undefined {
  const stats: string[] = [];
  const links: string[] = [];
  for (const [index, { path, link }] of entries.entries()) {
    const named = unescape(lines[index * 2 + 1] ?? "");
    const own = Buffer.from(link ? `${path} -> ` : path, "utf8");
    if (named === undefined || named.length < own.length || !named.subarray(0, own.length).equals(own)) return undefined;
    if (!link && named.length !== own.length) return undefined;
    stats.push(lines[index * 2] as string);
    if (link) links.push(named.subarray(own.length).toString("utf8").replace(/\n+$/, ""));
  }
  return { stats, links };
}

function commands(argsList: readonly (readonly string[])[]): string[] {
  const members = argsList.map(memberOf);
  const ownScripts = members.flatMap((member, index) =>
    member.follow ? [`if [ "$__rb_k${index}" = X ]; then ( set -- ${[member.path, member.checksum ? "1" : "0", "1"].map(quote).join(" ")}\n${FILE_STATE_SCRIPT}\n); fi`] : [],
  );
  return [
    [...members.map(kindTest), `printf '%s' ${members.map((_, index) => `"$__rb_k${index}"`).join(" ")}`].join("\n"),
    STAT_LINKS ? statWithTargets(members) : onPaths(members, "LHE", `stat -c '${STAT_FORMAT}'`),
    onPaths(members, "H", "sha256sum"),
    // one readlink per link, as the member's own script runs it ($(...) drops trailing newlines
    // there too); NUL ends each target, as no target can contain one
    [
      ...(STAT_LINKS ? ['if [ "$__rb_kn" = 1 ]; then printf N; else'] : []),
      ...members.map((member, index) => `case $__rb_k${index} in L) printf '%s\\0' "$(readlink -- ${quote(member.path)})" ;; esac`),
      ...(STAT_LINKS ? ["fi"] : []),
    ].join("\n"),
    ...ownScripts,
  ];
}

/** A command's output lines, or undefined when it failed or complained. */
function cleanLines(output: ProbeResult | undefined, count: number): string[] | undefined {
  if (output === undefined || output.rc !== 0 || output.stderr !== "") return undefined;
  if (count === 0) return output.stdout === "" ? [] : undefined;
  if (!output.stdout.endsWith("\n")) return undefined;
  const lines = output.stdout.slice(0, -1).split("\n");
  return lines.length === count ? lines : undefined;
}

// GNU sha256sum starts the line with a backslash when it escapes the file name
const SHA_LINE = /^\\?([0-9a-f]{64}) [ *]/;

function results(argsList: readonly (readonly string[])[], outputs: readonly ProbeResult[]): (ProbeResult | undefined)[] {
  const members = argsList.map(memberOf);
  const [kindsOutput, statOutput, shaOutput, linkOutput, ...own] = outputs;
  const kinds = kindsOutput?.rc === 0 && kindsOutput.stderr === "" ? [...kindsOutput.stdout] : [];
  if (kinds.length !== members.length || !kinds.every((kind) => "ALHEX".includes(kind))) return members.map(() => undefined);
  const count = (letters: string): number => kinds.filter((kind) => letters.includes(kind)).length;
  const withTargets = linkOutput?.rc === 0 && linkOutput.stderr === "" && linkOutput.stdout === "N";
  const described = members.flatMap((member, index) => ("LHE".includes(kinds[index] as string) ? [{ path: member.path, link: kinds[index] === "L" }] : []));
  const statLines = cleanLines(statOutput, count("LHE") * (withTargets ? 2 : 1));
  const split = withTargets && statLines !== undefined ? splitTargets(statLines, described) : undefined;
  const stats = withTargets ? split?.stats : statLines;
  const hashes = cleanLines(shaOutput, count("H"))?.map((line) => SHA_LINE.exec(line)?.[1]);
  const links = withTargets ? split?.links : linkOutput?.rc === 0 && linkOutput.stderr === "" ? linkOutput.stdout.split("\0").slice(0, -1) : undefined;
  const certain = stats !== undefined && hashes !== undefined && hashes.every((hash) => hash !== undefined) && links?.length === count("L");
  let ownIndex = 0;
  return members.map((member, index) => {
    const kind = kinds[index] as Kind;
    const ownResult = member.follow ? own[ownIndex++] : undefined;
    if (kind === "X") return ownResult;
    if (!certain) return undefined;
    if (kind === "A") return { rc: 0, stdout: "absent\n", stderr: "" };
    let stdout = `${stats.shift()}\n`;
    if (kind === "H") stdout += `sha256 ${hashes.shift()}  -\n`;
    if (kind === "L") stdout += `link ${links.shift()}\n`;
    return { rc: 0, stdout, stderr: "" };
  });
}

export const fileStateGroup: ProbeGroup = {
  name: "file-state",
  member: (argv) => (argv.length === 7 && argv[0] === "sh" && argv[1] === "-c" && argv[2] === FILE_STATE_SCRIPT ? argv.slice(4) : undefined),
  commands,
  results,
};
