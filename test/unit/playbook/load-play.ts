/** Loads the first play of a playbook written to a temporary tree (with the fake module catalog). */
import { join } from "node:path";
import { ParseError } from "../../../src/errors.js";
import { loadPlaybook } from "../../../src/playbook/load.js";
import type { Play } from "../../../src/playbook/model.js";
import { fakeCatalog } from "./fake-catalog.js";
import { writeTree } from "./helpers.js";

export function loadPlay(yaml: string, files: Record<string, string> = {}): Play {
  const dir = writeTree({ "site.yaml": yaml, ...files });
  const play = loadPlaybook(join(dir, "site.yaml"), { catalog: fakeCatalog, rolesPath: [] }).plays[0];
  if (play === undefined) throw new Error("no play");
  return play;
}

/** The ParseError loading the playbook throws (any other outcome fails the test). */
export function loadFailure(yaml: string, files: Record<string, string> = {}): ParseError {
  try {
    loadPlay(yaml, files);
  } catch (error) {
    if (error instanceof ParseError) return error;
    throw error;
  }
  throw new Error("expected a ParseError");
}
