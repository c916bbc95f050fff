/**
 * Planning for modules that edit a text file in place (lineinfile, blockinfile, sysctl): read
 * the whole file, compute the new text in TypeScript, and write it back in ONE atomic put
 * through the copy rule when it differs.
 */
import type { LegacyPlan, Probe, ProbeResult } from "../types.js";
import { readFileProbe, sha256 } from "./content.js";
import { fileStateProbe, parseFileState } from "./file-state.js";
import { planWantedFileFromState } from "./put-file.js";
import { planOrFail } from "./probe-error.js";
import type { Attributes } from "./schema.js";

/** The file's state (following a symbolic link, as Ansible does) and its whole content. */
export function editedFileProbes(path: string): Probe[] {
  return [fileStateProbe(path, true, true), readFileProbe(path)];
}

export interface FileEdit {
  readonly path: string;
  /** Turns the current text ("" for a missing file) into the wanted text. */
  readonly edit: (text: string) => string;
  /** Create the file when it is missing. */
  readonly create: boolean;
  readonly attributes: Attributes;
}

export function planEditedFile(request: FileEdit, results: readonly ProbeResult[]): LegacyPlan {
  return planOrFail(() => planFromResults(request, results));
}

function planFromResults(request: FileEdit, results: readonly ProbeResult[]): LegacyPlan {
  const [stateResult, readResult] = results;
  if (stateResult === undefined) throw new Error("missing file state probe result");
  const state = parseFileState(stateResult);
  if (state.exists && state.kind !== "file") return { steps: [], failed: `${request.path} is not a regular file` };
  const current = state.exists ? (readResult?.stdout ?? "") : "";
  // The text came through a UTF-8 decode: only rewrite a file that survived it byte for byte.
  if (state.exists && (readResult?.rc !== 0 || sha256(current) !== state.sha256)) {
    return { steps: [], failed: `${request.path} is not UTF-8 text (or changed while being read); refusing to edit it` };
  }
  const dest = state.realPath ?? request.path;
  const next = request.edit(current);
  if (!state.exists) {
    if (next === "") return { steps: [], msg: `${request.path} does not exist; nothing to do` };
    if (!request.create) {
      return { steps: [], failed: `${request.path} does not exist`, msg: "set create: true to create it" };
    }
  }
  return planWantedFileFromState({ dest, content: Buffer.from(next, "utf8"), attributes: request.attributes }, state, current);
}
