/**
 * Many file-state probes (file-state.ts) answered at once: the shell's own tests sort the paths
 * (absent, link, regular file, other), then one `stat` describes every path that exists and one
 * `sha256sum` hashes every regular file asked for. N paths cost two processes (and a `readlink`
 * per link) instead of a subshell, a `stat` and a `sha256sum` each; a no-change run has one such
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

function commands(argsList: readonly (readonly string[])[]): string[] {
  const members = argsList.map(memberOf);
  const ownScripts = members.flatMap((member, index) =>
    member.follow ? [`if [ "$__rb_k${index}" = X ]; then ( set -- ${[member.path, member.checksum ? "1" : "0", "1"].map(quote).join(" ")}\n${FILE_STATE_SCRIPT}\n); fi`] : [],
  );
  return [
    [...members.map(kindTest), `printf '%s' ${members.map((_, index) => `"$__rb_k${index}"`).join(" ")}`].join("\n"),
    onPaths(members, "LHE", `stat -c '${STAT_FORMAT}'`),
    onPaths(members, "H", "sha256sum"),
    // one readlink per link, as the member's own script runs it ($(...) drops trailing newlines
    // there too); NUL ends each target, as no target can contain one
    members.map((member, index) => `case $__rb_k${index} in L) printf '%s\\0' "$(readlink -- ${quote(member.path)})" ;; esac`).join("\n"),
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
  const stats = cleanLines(statOutput, count("LHE"));
  const hashes = cleanLines(shaOutput, count("H"))?.map((line) => SHA_LINE.exec(line)?.[1]);
  const links = linkOutput?.rc === 0 && linkOutput.stderr === "" ? linkOutput.stdout.split("\0").slice(0, -1) : undefined;
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
