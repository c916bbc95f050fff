/**
 * vitest globalSetup: the engine tests run the real CLI (`node bin/runbook.js`), which loads
 * the bundle dist/runbook.mjs. Rebuild it when any source file is newer, so the CLI under test
 * is the code under test.
 */
import { execFileSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(import.meta.dirname, "..", "..", "..");

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function builtMtime(): number {
  try {
    return statSync(join(ROOT, "dist", "runbook.mjs")).mtimeMs;
  } catch {
    return 0;
  }
}

export default function setup(): void {
  if (builtMtime() >= newestMtime(join(ROOT, "src"))) return;
  execFileSync(process.execPath, ["scripts/bundle.mjs"], { cwd: ROOT, stdio: "inherit" });
}
