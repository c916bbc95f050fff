/** Where a task's controller-side files come from: the role first, then the playbook's project. */
import { existsSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, isAbsolute, join, resolve } from "node:path";
import type { Playbook, RoleInfo } from "../playbook/model.js";

/** The project's top directory: the playbook's directory, or its parent when that is `playbooks/`. */
export function projectRoot(playbook: Playbook): string {
  return basename(playbook.baseDir) === "playbooks" ? dirname(playbook.baseDir) : playbook.baseDir;
}

/** Finds `path` in the role's `kind/` (files or templates), then the playbook's `kind/`, then the playbook dir. */
export function findLocalFile(path: string, kind: "files" | "templates", playbook: Playbook, role: RoleInfo | undefined): string {
  if (isAbsolute(path)) return path;
  const candidates = [
    ...(role ? [join(role.path, kind, path), join(role.path, path)] : []),
    join(playbook.baseDir, kind, path),
    join(playbook.baseDir, path),
    join(projectRoot(playbook), kind, path),
  ];
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) {
    throw new Error(`cannot find ${kind === "files" ? "file" : "template"} '${path}' (looked in ${candidates.join(", ")})`);
  }
  return resolve(found);
}

export function readLocalFile(path: string): Buffer {
  return readFileSync(path);
}

/** A controller file's permission bits as four octal digits. */
export function localFileMode(path: string): string {
  return (statSync(path).mode & 0o7777).toString(8).padStart(4, "0");
}

/** A controller file's bytes, undefined when it does not exist (fetch compares its dest). */
export function readControllerFile(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}
