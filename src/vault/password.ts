/** Where the vault password comes from: --vault-password-file, RUNBOOK_VAULT_PASSWORD_FILE, or a prompt. */
import { readFileSync } from "node:fs";
import { RunbookError } from "../errors.js";

export const VAULT_PASSWORD_ENV = "RUNBOOK_VAULT_PASSWORD_FILE";

/** The password in `file`: its first line (a trailing newline is not part of it). */
export function readPasswordFile(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new RunbookError("runtime", `cannot read the vault password file ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, {
      hint: "give a readable file holding the password on its first line",
    });
  }
  const password = text.split(/\r?\n/)[0] ?? "";
  if (password === "") throw new RunbookError("runtime", `the vault password file ${file} is empty`, { hint: "write the password on its first line" });
  return password;
}

/** The password from the flag or the environment, or undefined when neither names a file. */
export function vaultPasswordFromFlags(file: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const path = file ?? env[VAULT_PASSWORD_ENV];
  return path === undefined || path === "" ? undefined : readPasswordFile(path);
}
