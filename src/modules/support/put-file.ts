/**
 * The one content-upload rule (pyinfra's put, Ansible's copy action): compare the sha256 of
 * the wanted content with the file's, write the whole file atomically when they differ, and
 * otherwise fix only the attributes that differ. copy, template, artifact, lineinfile,
 * blockinfile and sysctl all plan through here.
 */
import type { Effect, Fact, FactValues, Plan, Step } from "../types.js";
import { posix } from "node:path";
import { quote, shScript } from "../../transport/quote.js";
import { attributeChanges, attributeSteps } from "./attributes.js";
import { beforeText, fileDiff, sha256, smallFileTextFact, type FileText } from "./content.js";
import { fileStateFact, type FileState } from "./file-state.js";
import { resolveModeText } from "./mode.js";
import { change, fail, ok } from "./plan.js";
import type { Attributes } from "./schema.js";

export interface WantedFile {
  readonly dest: string;
  readonly content: Buffer;
  readonly attributes: Attributes;
  /** When false, an existing file is left as it is, whatever its content. */
  readonly force?: boolean | undefined;
  /** Copy the old file to DEST.PID.YYYY-MM-DD@HH:MM:SS~ (Ansible's name) before replacing it. */
  readonly backup?: boolean | undefined;
  /** A command with %s for the new file: it must succeed before the file replaces the old one. */
  readonly validate?: string | undefined;
}

// a type, not an interface: only a type is assignable to FactRequests' index signature
export type WantedFileFacts = { readonly state: Fact<FileState>; readonly before: Fact<FileText> | undefined };

/**
 * The file's state with checksum; with --diff (`ansible_diff_mode`) also its content when small,
 * for the diff's "before". Without --diff nobody shows that text, and not reading it saves a
 * process per file on every host on every run.
 */
export function wantedFileFacts(dest: string, vars: Readonly<Record<string, unknown>> = { ansible_diff_mode: true }): WantedFileFacts {
  return { state: fileStateFact(dest, { checksum: true }), before: vars["ansible_diff_mode"] === true ? smallFileTextFact(dest) : undefined };
}

/** Plans from the values of wantedFileFacts. */
export function planWantedFile(wanted: WantedFile, facts: FactValues<WantedFileFacts>): Plan {
  return planWantedFileFromState(wanted, facts.state, beforeText(facts.before, facts.state.exists));
}

/** The same plan, for callers that already know the state and the current text. */
export function planWantedFileFromState(wanted: WantedFile, state: FileState, before: string): Plan {
  const { dest, content, attributes } = wanted;
  if (state.exists && state.kind === "directory") return fail(`${dest} is a directory`, "end dest with '/' to copy into the directory");
  const differs = !state.exists || state.kind !== "file" || state.sha256 !== sha256(content);
  if (differs) {
    if (state.exists && wanted.force === false) return ok(`${dest} exists and force is false`);
    // A rewrite makes a new file: keep the old owner and group unless the task names others
    // (and the old mode too: the upload copies it when the task names none).
    const owner = attributes.owner ?? (state.exists ? state.owner : undefined);
    const group = attributes.group ?? (state.exists ? state.group : undefined);
    const oldMode = state.exists && state.kind === "file" ? state.mode : undefined;
    // a symbolic mode applies to the mode the file has (or gets from the umask) before it
    const wantedMode = attributes.mode === undefined ? undefined : resolveModeText(attributes.mode, oldMode ?? "0644", false);
    const mode = wantedMode ?? oldMode;
    const put: Step = { kind: "put", path: dest, content, mode: wantedMode, owner, group };
    return change(
      [...(wanted.backup === true && state.exists ? [backupStep(dest)] : []), ...validatedSteps(put, mode, wanted.validate)],
      state.exists ? `content of ${dest} differs` : `${dest} does not exist`,
      [writtenFile(dest, content, { mode, owner, group })],
      { diffs: [fileDiff(dest, before, content)] },
    );
  }
  const steps = attributeSteps(dest, attributeChanges(attributes, state));
  if (steps.length === 0) return ok(`${dest} is up to date`);
  const after = { mode: attributes.mode === undefined ? state.mode : resolveModeText(attributes.mode, state.mode, false), owner: attributes.owner ?? state.owner, group: attributes.group ?? state.group };
  // the checksums matched, so the content after the chown/chmod is the wanted one
  return change(steps, `attributes of ${dest} differ`, [writtenFile(dest, content, after)]);
}

/** The effect of writing `content` to `path`, for check mode. */
export function writtenFile(path: string, content: Buffer, attributes: Attributes): Effect {
  return { kind: "path", path, after: { exists: true, kind: "file", content, ...attributes } };
}

/** Copies the file to Ansible's backup name: PATH.PID.YYYY-MM-DD@HH:MM:SS~ (the shell's pid). */
export function backupStep(path: string): Step {
  return { kind: "run", argv: shScript('cp -p -- "$1" "$1.$$.$(date +%Y-%m-%d@%H:%M:%S)~"', path), describe: `back up ${path}` };
}

/**
 * With `validate`, the put goes to a temporary file beside the target (with the mode the target
 * will have), the command checks it, and only then is it renamed into place; a failed check
 * removes it and fails the task, leaving the old file.
 */
export function validatedSteps(put: Extract<Step, { kind: "put" }>, mode: string | undefined, validate: string | undefined): Step[] {
  if (validate === undefined) return [put];
  const temp = posix.join(posix.dirname(put.path), `.${posix.basename(put.path)}.runbook-validate.tmp`);
  return [{ ...put, path: temp, mode }, validateStep(temp, put.path, validate)];
}

/** Runs `validate` (its %s the temp file) and moves the temp file to `dest` when it succeeds. */
export function validateStep(temp: string, dest: string, validate: string): Step {
  const script = 'if sh -c "$3"; then mv -f -- "$1" "$2"; else rm -f -- "$1"; echo "failed to validate" >&2; exit 1; fi';
  return { kind: "run", argv: shScript(script, temp, dest, validate.replaceAll("%s", quote(temp))), describe: `validate with: ${validate}` };
}
