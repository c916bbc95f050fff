/**
 * Planning for modules that edit a text file in place (lineinfile, blockinfile, sysctl): read
 * the whole file, compute the new text in TypeScript, and write it back in ONE atomic put
 * through the copy rule when it differs.
 *
 * Both facts read `path:<path>`, so in check mode an earlier would-be write (an earlier item of
 * the same loop) stands in for the host, and each edit plans against the text it would leave.
 */
import type { Fact, FactValues, Plan } from "../types.js";
import { fileTextFact, sha256, type FileText } from "./content.js";
import { fileStateFact, type FileState } from "./file-state.js";
import { fail, ok } from "./plan.js";
import { planWantedFileFromState } from "./put-file.js";
import type { Attributes } from "./schema.js";

// a type, not an interface: only a type is assignable to FactRequests' index signature
export type EditedFileFacts = { readonly state: Fact<FileState>; readonly content: Fact<FileText> };

/** The file's state (following a symbolic link, as Ansible does) and its whole content. */
export function editedFileFacts(path: string): EditedFileFacts {
  return { state: fileStateFact(path, { checksum: true, follow: true }), content: fileTextFact(path) };
}

export interface FileEdit {
  readonly path: string;
  /** Turns the current text ("" for a missing file) into the wanted text. */
  readonly edit: (text: string) => string;
  /** Create the file when it is missing. */
  readonly create: boolean;
  readonly attributes: Attributes;
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
  if (!state.exists) {
    if (next === "") return ok(`${request.path} does not exist; nothing to do`);
    if (!request.create) return fail(`${request.path} does not exist`, "set create: true to create it");
  }
  return planWantedFileFromState({ dest, content: Buffer.from(next, "utf8"), attributes: request.attributes }, state, current);
}
