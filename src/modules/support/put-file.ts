/**
 * The one content-upload rule (pyinfra's put, Ansible's copy action): compare the sha256 of
 * the wanted content with the file's, write the whole file atomically when they differ, and
 * otherwise fix only the attributes that differ. copy, template, artifact, lineinfile,
 * blockinfile and sysctl all plan through here.
 */
import type { LegacyPlan, Probe, ProbeResult } from "../types.js";
import { attributeChanges, attributeSteps } from "./attributes.js";
import { beforeText, fileDiff, readSmallFileProbe, sha256 } from "./content.js";
import { fileStateProbe, parseFileState, type FileState } from "./file-state.js";
import { planOrFail } from "./probe-error.js";
import type { Attributes } from "./schema.js";

export interface WantedFile {
  readonly dest: string;
  readonly content: Buffer;
  readonly attributes: Attributes;
  /** When false, an existing file is left as it is, whatever its content. */
  readonly force?: boolean | undefined;
}

/**
 * The file's state with checksum; with --diff (`ansible_diff_mode`) also its content when small,
 * for the diff's "before". Without --diff nobody shows that text, and not reading it saves a
 * process per file on every host on every run.
 */
export function wantedFileProbes(dest: string, vars: Readonly<Record<string, unknown>> = { ansible_diff_mode: true }): Probe[] {
  const state = fileStateProbe(dest, true);
  return vars["ansible_diff_mode"] === true ? [state, readSmallFileProbe(dest)] : [state];
}

/** Plans from the two results of wantedFileProbes. */
export function planWantedFile(wanted: WantedFile, results: readonly ProbeResult[]): LegacyPlan {
  const [stateResult, readResult] = results;
  if (stateResult === undefined) throw new Error("missing file state probe result");
  return planOrFail(() => {
    const state = parseFileState(stateResult);
    return planWantedFileFromState(wanted, state, beforeText(readResult, state.exists));
  });
}

/** The same plan, for callers that already know the state and the current text. */
export function planWantedFileFromState(wanted: WantedFile, state: FileState, before: string): LegacyPlan {
  const { dest, content, attributes } = wanted;
  if (state.exists && state.kind === "directory") {
    return { steps: [], failed: `${dest} is a directory`, msg: "end dest with '/' to copy into the directory" };
  }
  const differs = !state.exists || state.kind !== "file" || state.sha256 !== sha256(content);
  if (differs) {
    if (state.exists && wanted.force === false) return { steps: [], msg: `${dest} exists and force is false` };
    // A rewrite makes a new file: keep the old owner and group unless the task names others.
    const owner = attributes.owner ?? (state.exists ? state.owner : undefined);
    const group = attributes.group ?? (state.exists ? state.group : undefined);
    return {
      steps: [{ kind: "put", path: dest, content, mode: attributes.mode, owner, group }],
      diffs: [fileDiff(dest, before, content)],
      msg: state.exists ? `content of ${dest} differs` : `${dest} does not exist`,
    };
  }
  const steps = attributeSteps(dest, attributeChanges(attributes, state));
  return { steps, msg: steps.length === 0 ? `${dest} is up to date` : `attributes of ${dest} differ` };
}
