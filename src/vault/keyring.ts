/**
 * What loaders need to read vault-encrypted vars files transparently: the password (if one was
 * given) and the set of secret values seen so far, which reports mask (report/mask.ts).
 */
import { ParseError } from "../errors.js";
import { parseYaml, readSourceFile, type YamlSource } from "../source/yaml.js";
import { decryptVault, isVaultText } from "./format.js";

export class VaultKeyring {
  constructor(
    readonly password: string | undefined,
    /** Every string (and number) value read from a vault file: never shown in output. */
    readonly secrets: Set<string> = new Set<string>(),
  ) {}

  /** Records a value (and the string leaves inside it) as secret. */
  addSecret(value: unknown): void {
    if (typeof value === "string" || typeof value === "number") {
      if (String(value) !== "") this.secrets.add(String(value));
    } else if (Array.isArray(value)) {
      for (const item of value) this.addSecret(item);
    } else if (value !== null && typeof value === "object") {
      for (const item of Object.values(value)) this.addSecret(item);
    }
  }

  /** The file's YAML, decrypted first when it is a vault file (whose values become secrets). */
  loadYaml(file: string): YamlSource {
    const text = readSourceFile(file);
    if (!isVaultText(text)) return parseYaml(text, file);
    if (this.password === undefined) {
      throw new ParseError(`${file} is vault-encrypted and no vault password was given`, {
        location: { file, line: 1, column: 1 },
        hint: "pass --vault-password-file FILE (or set RUNBOOK_VAULT_PASSWORD_FILE)",
      });
    }
    const source = parseYaml(decryptVault(text, this.password, file).toString("utf8"), file);
    this.addSecret(source.value);
    return source;
  }
}

/** Loads plain YAML only: a vault file without a keyring is an error that says what to pass. */
export const NO_VAULT = new VaultKeyring(undefined);
