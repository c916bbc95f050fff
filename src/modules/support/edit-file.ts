/**
 * Planning for modules that edit a text file in place (lineinfile, blockinfile, sysctl): read
 * the whole file, compute the new text in TypeScript, and write it back in ONE atomic put
 * through the copy rule when it differs.
 *
 * Both facts read `path:<path>`, so in check mode an earlier would-be write (an earlier item of
 * the same loop) stands in for the host, and each edit plans against the text it would leave.
 *
 * As Ansible's: `create` makes the missing parent directories too; `backup` keeps a copy of the
 * old file (`PATH.PID.YYYY-MM-DD@HH:MM:SS~`); `validate` runs a command on the new text (`%s`,
 * a temporary file beside the target) before it replaces the file.
 */
import { posix } from "node:path";
import type { Effect, Fact, FactValues, Plan, Step } from "../types.js";
import { fileTextFact, sha256, type FileText } from "./content.js";
import { fileStateFact, type FileState } from "./file-state.js";
import { directoryFact } from "./path-facts.js";
import { change, fail, ok } from "./plan.js";
import { planWantedFileFromState } from "./put-file.js";
import type { Attributes } from "./schema.js";
import { shScript } from "../../transport/quote.js";
import { splitShellWords } from "../../source/shell-words.js";

// a type, not an interface: only a type is assignable to FactRequests' index signature
export type EditedFileFacts = {
  readonly state: Fact<FileState>;
  readonly content: Fact<FileText>;
  /** Whether the parent directory exists (only asked for when the file may be created). */
  readonly parent?: Fact<boolean> | undefined;
};

/**
 * The file's state (following a symbolic link, as Ansible does) and its whole content; with
 * `create`, also whether its directory exists (a missing one is made with the file).
 */
export function editedFileFacts(path: string, options: { readonly create?: boolean } = {}): EditedFileFacts {
  const facts = { state: fileStateFact(path, { checksum: true, follow: true }), content: fileTextFact(path) };
  return options.create === true ? { ...facts, parent: directoryFact(posix.dirname(path)) } : facts;
}

export interface FileEdit {
  readonly path: string;
  /** Turns the current text ("" for a missing file) into the wanted text. */
  readonly edit: (text: string) => string;
  /** Create the file when it is missing. */
  readonly create: boolean;
  readonly attributes: Attributes;
  /**
   * A missing file without `create`: true, nothing to do (lineinfile state=absent); false, the
   * task fails (blockinfile, in either state); undefined, nothing to do only when the edit
   * leaves the text empty.
   */
  readonly missingOk?: boolean | undefined;
  /** Keep a copy of the file as it was before a change. */
  readonly backup?: boolean | undefined;
  /** A command line (split into words, no shell) that must accept the new text: `%s` is its path. */
  readonly validate?: string | undefined;
}

export function planEditedFile(request: FileEdit, facts: FactValues<EditedFileFacts>): Plan {
  const { state, content } = facts;
  if (state.exists && state.kind !== "file") return fail(`${request.path} is not a regular file`);
  const current = state.exists && content.read ? content.text : "";
  // The text came through a UTF-8 decode: only rewrite a file that survived it byte for byte.
  if (state.exists && (!content.read || sha256(current) !== state.sha256)) {
    return fail(`${request.path} is not UTF-8 text (or changed while being read); refusing to edit it`);
  }
  const dest = state.realPath ?? request.path;
  const next = request.edit(current);
  if (!state.exists && !request.create) {
    if (request.missingOk === true || (request.missingOk === undefined && next === "")) return ok(`${request.path} does not exist; nothing to do`);
    return fail(`${request.path} does not exist`, "set create: true to create it");
  }
  if (!state.exists && next === "") return ok(`${request.path} does not exist; nothing to do`);
  const plan = planWantedFileFromState({ dest, content: Buffer.from(next, "utf8"), attributes: request.attributes }, state, current);
  if (plan.kind !== "change") return plan;
  const parentMissing = !state.exists && facts.parent === false;
  return withExtraSteps(plan, request, { dest, existed: state.exists, mode: state.exists ? state.mode : undefined, current, parentMissing });
}

interface EditTarget {
  readonly dest: string;
  readonly existed: boolean;
  /** The file's mode now: a validated put writes a new file, which must keep it. */
  readonly mode: string | undefined;
  readonly current: string;
  readonly parentMissing: boolean;
}

/** The put-file plan with the missing directories made first, the backup, and the put turned into put + validate + rename. */
function withExtraSteps(plan: Extract<Plan, { kind: "change" }>, request: FileEdit, target: EditTarget): Plan {
  const before: Step[] = [];
  const effects: Effect[] = [];
  const data: Record<string, unknown> = {};
  if (target.parentMissing) {
    const parent = posix.dirname(target.dest);
    before.push({ kind: "run", argv: ["mkdir", "-p", "--", parent] });
    effects.push({ kind: "path", path: parent, after: { exists: true, kind: "directory" } });
  }
  const rewrites = plan.steps.some((step) => step.kind === "put");
  if (request.backup === true && target.existed && rewrites) {
    const backup = backupName(request.path);
    before.push({ kind: "run", argv: ["cp", "-p", "--", target.dest, backup] });
    effects.push({ kind: "path", path: backup, after: { exists: true, kind: "file", content: Buffer.from(target.current, "utf8") } });
    data["backup"] = backup;
    data["backup_file"] = backup;
  }
  const steps = plan.steps.flatMap((step) => (step.kind === "put" && request.validate !== undefined ? validatedPut({ ...step, mode: step.mode ?? target.mode }, request.validate) : [step]));
  return change([...before, ...steps], plan.msg, [...effects, ...(plan.effects ?? [])], { diffs: plan.diffs, data: { ...plan.data, ...data } });
}

/** Ansible's backup name: the path, the process id and the local time. */
function backupName(path: string, now: Date = new Date()): string {
  const two = (n: number): string => String(n).padStart(2, "0");
  const date = `${now.getFullYear()}-${two(now.getMonth() + 1)}-${two(now.getDate())}`;
  return `${path}.${process.pid}.${date}@${two(now.getHours())}:${two(now.getMinutes())}:${two(now.getSeconds())}~`;
}

/** Writes beside the target, runs the validator on it, and renames it over the target only when it passes. */
function validatedPut(step: Extract<Step, { kind: "put" }>, validate: string): Step[] {
  const temp = posix.join(posix.dirname(step.path), `.${posix.basename(step.path)}.runbook-validate`);
  const argv = splitShellWords(validate).map((word) => word.text.replaceAll("%s", temp));
  const script = 't=$1; d=$2; shift 2; "$@" || { rc=$?; rm -f -- "$t"; exit "$rc"; }; mv -f -- "$t" "$d"';
  return [{ ...step, path: temp }, { kind: "run", argv: shScript(script, temp, step.path, ...argv), describe: `validate with ${validate}, then replace ${step.path}` }];
}
