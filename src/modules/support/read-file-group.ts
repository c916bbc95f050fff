/**
 * Many whole-file reads (content.ts readFileProbe: lineinfile, blockinfile, sysctl) answered by
 * one `cat` for up to 8 files instead of a `cat` each: between two files, cat reads a here-document
 * (`/dev/fd/N`, one per separator, as a pipe can be read once) that holds a random mark, and the
 * output is split on it. Each member's result is rebuilt exactly as its own script gives it: a
 * path that is not a regular file is rc 1 and nothing (its `[ -f ]` fails, as the shell's test
 * tells here); a file's result is its bytes. Where that is not certain (cat failed or complained,
 * the mark does not appear exactly once between two files: a file holds it or changed), the
 * members are left to their own scripts.
 */
import { randomBytes } from "node:crypto";
import type { ProbeGroup, ProbeResult } from "../types.js";
import { quote } from "../../transport/quote.js";
import { readFileProbe } from "./content.js";

const READ_SCRIPT = readFileProbe("/").argv[2];
/** Files per cat: fds 3 to 9 carry the separators (the shell's redirections take one digit). */
const PER_CAT = 8;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += PER_CAT) out.push(items.slice(start, start + PER_CAT));
  return out;
}

function commands(members: readonly (readonly string[])[], mark = `__runbook_cat_${randomBytes(8).toString("hex")}`): string[] {
  const paths = members.map(([path]) => path as string);
  // the mark first, then one letter per member: C (read by the cat) or A (not a regular file)
  const kinds = [`printf '%s\\n' ${mark}`, ...paths.map((path, index) => `if [ -f ${quote(path)} ]; then __rb_r${index}=C; else __rb_r${index}=A; fi`), `printf '%s' ${paths.map((_, index) => `"$__rb_r${index}"`).join(" ")}`];
  const cats = chunks(paths.map((path, index) => ({ path, index }))).map((chunk) => {
    const picks = chunk.map(({ path, index }, position) => {
      const separator = position === 0 ? "" : `[ $# -eq 0 ] || set -- "$@" /dev/fd/${position + 2}; `;
      return `case $__rb_r${index} in C) ${separator}set -- "$@" ${quote(path)} ;; esac`;
    });
    const heredocs = chunk.slice(1).map((_, position) => `${position + 3}<<'__rb_end'`);
    const bodies = chunk.slice(1).map(() => `${mark}\n__rb_end`);
    return ["set --", ...picks, `[ $# -eq 0 ] || cat -- "$@" ${heredocs.join(" ")}`, ...bodies].join("\n");
  });
  return [kinds.join("\n"), ...cats];
}

function results(members: readonly (readonly string[])[], outputs: readonly ProbeResult[]): (ProbeResult | undefined)[] {
  const [kindsOutput, ...catOutputs] = outputs;
  const unsure = members.map(() => undefined);
  if (kindsOutput === undefined || kindsOutput.rc !== 0 || kindsOutput.stderr !== "") return unsure;
  const newline = kindsOutput.stdout.indexOf("\n");
  const mark = kindsOutput.stdout.slice(0, newline);
  const kinds = [...kindsOutput.stdout.slice(newline + 1)];
  if (newline < 0 || !mark.startsWith("__runbook_cat_") || kinds.length !== members.length || !kinds.every((kind) => kind === "C" || kind === "A")) return unsure;
  const answers: (ProbeResult | undefined)[] = [];
  for (const [chunkIndex, chunk] of chunks(kinds).entries()) {
    const read = chunk.filter((kind) => kind === "C").length;
    const output = catOutputs[chunkIndex];
    const clean = output !== undefined && output.rc === 0 && output.stderr === "";
    const parts = clean ? output.stdout.split(`${mark}\n`) : [];
    const certain = read === 0 ? clean && output.stdout === "" : parts.length === read && parts.every((part) => !part.includes(mark));
    for (const kind of chunk) {
      if (kind === "A") answers.push({ rc: 1, stdout: "", stderr: "" });
      else answers.push(certain ? { rc: 0, stdout: parts.shift() as string, stderr: "" } : undefined);
    }
  }
  return answers;
}

export const readFileGroup: ProbeGroup = {
  name: "read-file",
  member: (argv) => (argv.length === 5 && argv[0] === "sh" && argv[1] === "-c" && argv[2] === READ_SCRIPT ? [argv[4] as string] : undefined),
  commands: (members) => commands(members),
  results,
};
