/** `runbook vault encrypt|decrypt|view FILE`: edit vault files in place, or print one decrypted. */
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { Command } from "commander";
import { OptionsError, ParseError, RunbookError } from "../errors.js";
import { decryptVault, encryptVault, isVaultText } from "../vault/format.js";
import { vaultPasswordFromFlags } from "../vault/password.js";
import { promptSecret } from "./prompt.js";

interface VaultFlags {
  vaultPasswordFile?: string;
}

export function registerVaultCommands(program: Command): Command {
  const vault = program.command("vault").description("encrypt, decrypt or view vault files (AES-256-GCM, scrypt key)");
  const withPassword = (command: Command): Command =>
    command.option("--vault-password-file <file>", "read the password from this file (else RUNBOOK_VAULT_PASSWORD_FILE, else a prompt)");
  withPassword(vault.command("encrypt").argument("<file>", "a plain file, encrypted in place"))
    .description("encrypt a file in place")
    .action(async (file: string, _flags: VaultFlags, command: Command) => {
      const flags = globalFlags(command);
      const text = readPlain(file);
      if (isVaultText(text.toString("utf8"))) throw new OptionsError(`${file} is already vault-encrypted`, { hint: "decrypt it first, or leave it as it is" });
      const password = await passwordFor(flags, true);
      replaceFile(file, encryptVault(text, password));
      process.stderr.write(`Encryption successful: ${file}\n`);
    });
  withPassword(vault.command("decrypt").argument("<file>", "a vault file, decrypted in place"))
    .description("decrypt a file in place")
    .action(async (file: string, _flags: VaultFlags, command: Command) => {
      const flags = globalFlags(command);
      const plain = decryptVault(readVault(file), await passwordFor(flags, false), file);
      replaceFile(file, plain);
      process.stderr.write(`Decryption successful: ${file}\n`);
    });
  withPassword(vault.command("view").argument("<file>", "a vault file"))
    .description("print a vault file decrypted, leaving it encrypted")
    .action(async (file: string, _flags: VaultFlags, command: Command) => {
      const flags = globalFlags(command);
      process.stdout.write(decryptVault(readVault(file), await passwordFor(flags, false), file));
    });
  return vault;
}

/** The run command shares --vault-password-file, so commander may hand it to the parent: read both. */
function globalFlags(command: Command): VaultFlags {
  return command.optsWithGlobals<VaultFlags>();
}

async function passwordFor(flags: VaultFlags, confirm: boolean): Promise<string> {
  return vaultPasswordFromFlags(flags.vaultPasswordFile) ?? askVaultPassword(confirm);
}

/** The vault password typed at the terminal (--ask-vault-pass, or no password file given to `runbook vault`). */
export async function askVaultPassword(confirm: boolean): Promise<string> {
  if (!process.stdin.isTTY) throw new RunbookError("runtime", "no vault password: not on a terminal", { hint: "pass --vault-password-file FILE or set RUNBOOK_VAULT_PASSWORD_FILE" });
  const password = await promptSecret("Vault password: ");
  if (password === "") throw new OptionsError("the vault password is empty");
  if (confirm && (await promptSecret("Confirm vault password: ")) !== password) throw new OptionsError("the passwords do not match");
  return password;
}

function readPlain(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new OptionsError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { hint: "check the path and its permissions" });
  }
}

function readVault(file: string): string {
  const text = readPlain(file).toString("utf8");
  if (!isVaultText(text)) {
    throw new ParseError(`${file} is not vault-encrypted`, { location: { file, line: 1, column: 1 }, hint: `encrypt it with 'runbook vault encrypt ${file}'` });
  }
  return text;
}

/** Writes beside the file and renames over it, so a crash never leaves half a file. */
function replaceFile(file: string, content: string | Buffer): void {
  const temp = join(dirname(file), `.${basename(file)}.runbook-vault.tmp`);
  writeFileSync(temp, content, { mode: 0o600 });
  renameSync(temp, file);
}
