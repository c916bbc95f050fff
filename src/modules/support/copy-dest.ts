/**
 * Where copy and template write, as Ansible decides it: "dir/" means dir/<src's name> (the
 * directory is made when missing, with directory_mode); a dest that is an existing directory
 * means the same; with follow, a link at dest is written through to its target. The facts read
 * every candidate at once, so the plan picks without another round trip.
 */
import { posix } from "node:path";
import type { Fact, Plan, Step } from "../types.js";
import { beforeText, smallFileTextFact, type FileText } from "./content.js";
import { fileStateFact, type FileState } from "./file-state.js";
import { mkdirsStep } from "./mkdirs.js";

export interface CopyTarget {
  readonly dest: string;
  /** The source's name decides the file's name in a directory dest. */
  readonly src?: string | undefined;
  readonly follow: boolean;
}

export type CopyDestFacts = {
  readonly state: Fact<FileState>;
  readonly into: Fact<FileState> | undefined;
  readonly parent: Fact<FileState> | undefined;
  readonly before: Fact<FileText> | undefined;
};

/** dest, with "dir/" expanded to "dir/<basename of src>". */
export function copyDestination(dest: string, src: string | undefined): string {
  return dest.endsWith("/") && src !== undefined ? posix.join(dest, posix.basename(src)) : dest;
}

export function copyDestFacts(target: CopyTarget, vars: Readonly<Record<string, unknown>>): CopyDestFacts {
  const { dest, src } = target;
  const path = copyDestination(dest, src);
  const directoryDest = src !== undefined && !dest.endsWith("/");
  return {
    state: fileStateFact(path, { checksum: true, follow: target.follow }),
    into: directoryDest ? fileStateFact(posix.join(dest, posix.basename(src)), { checksum: true }) : undefined,
    parent: dest.endsWith("/") ? fileStateFact(posix.dirname(path)) : undefined,
    before: vars["ansible_diff_mode"] === true ? smallFileTextFact(path) : undefined,
  };
}

export interface ResolvedDest {
  readonly dest: string;
  readonly state: FileState;
  readonly before: string;
  /** The directory to make first ("dir/" that does not exist). */
  readonly mkdir?: Step | undefined;
}

interface CopyDestValues {
  readonly state: FileState;
  readonly into?: FileState | undefined;
  readonly parent?: FileState | undefined;
  readonly before?: FileText | undefined;
}

export function resolveDest(target: CopyTarget, facts: CopyDestValues, directoryMode: string | undefined): ResolvedDest {
  const path = copyDestination(target.dest, target.src);
  const { state } = facts;
  if (state.exists && state.kind === "directory" && facts.into !== undefined) {
    // the old content of dest/NAME was not read: the diff says so
    return { dest: posix.join(target.dest, posix.basename(target.src ?? "")), state: facts.into, before: beforeText(undefined, facts.into.exists) };
  }
  const mkdir = facts.parent !== undefined && !facts.parent.exists ? mkdirsStep(posix.dirname(path), { mode: directoryMode }) : undefined;
  return { dest: state.realPath ?? path, state, before: beforeText(facts.before, state.exists), mkdir };
}

/** The plan with `first` run before its steps (a change: the file under it is missing anyway). */
export function withFirstStep(plan: Plan, first: Step | undefined): Plan {
  if (first === undefined || plan.kind !== "change") return plan;
  return { ...plan, steps: [first, ...plan.steps] };
}
