/**
 * The vault file format: a versioned text header line, then base64 (wrapped at 80 columns) of
 * salt(16) | iv(12) | GCM tag(16) | ciphertext. AES-256-GCM with a key from scrypt over the
 * password and the salt (N=2^15, r=8, p=1), all from node:crypto. GCM's tag makes a wrong
 * password or an edited file fail loudly instead of decrypting to garbage.
 *
 *   $RUNBOOK_VAULT;1;AES256GCM
 *   q83vEjRWeJq83vEjRWeJ...
 */
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from "node:crypto";
import { ParseError } from "../errors.js";

export const VAULT_HEADER = "$RUNBOOK_VAULT;1;AES256GCM";

const SALT_BYTES = 16;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;
const LINE = 80;

/** Whether `text` is a vault file (by its header line). */
export function isVaultText(text: string): boolean {
  return text.startsWith("$RUNBOOK_VAULT;");
}

function deriveKey(password: string, salt: Buffer): Buffer {
  return scryptSync(password.normalize("NFC"), salt, KEY_BYTES, SCRYPT);
}

export function encryptVault(plaintext: Buffer, password: string): string {
  const salt = randomBytes(SALT_BYTES);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", deriveKey(password, salt), iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const body = Buffer.concat([salt, iv, cipher.getAuthTag(), ciphertext]).toString("base64");
  const lines = [VAULT_HEADER];
  for (let i = 0; i < body.length; i += LINE) lines.push(body.slice(i, i + LINE));
  return `${lines.join("\n")}\n`;
}

/** The plaintext of a vault file's text; a ParseError naming `file` for a bad header, body or password. */
export function decryptVault(text: string, password: string, file: string): Buffer {
  const [header = "", ...rest] = text.split(/\r?\n/);
  const at = { file, line: 1, column: 1 };
  if (header.trim() !== VAULT_HEADER) {
    throw new ParseError(`${file} is not a runbook vault file of a known version (header '${header.slice(0, 40)}')`, {
      location: at,
      hint: `the first line must be ${VAULT_HEADER}; encrypt with 'runbook vault encrypt FILE'`,
    });
  }
  const body = Buffer.from(rest.join(""), "base64");
  if (body.length < SALT_BYTES + IV_BYTES + TAG_BYTES) {
    throw new ParseError(`${file}: the vault body is truncated`, { location: { file, line: 2, column: 1 }, hint: "restore the file from version control" });
  }
  const salt = body.subarray(0, SALT_BYTES);
  const iv = body.subarray(SALT_BYTES, SALT_BYTES + IV_BYTES);
  const tag = body.subarray(SALT_BYTES + IV_BYTES, SALT_BYTES + IV_BYTES + TAG_BYTES);
  const ciphertext = body.subarray(SALT_BYTES + IV_BYTES + TAG_BYTES);
  const decipher = createDecipheriv("aes-256-gcm", deriveKey(password, salt), iv);
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    throw new ParseError(`cannot decrypt ${file}: wrong vault password, or the file was changed`, {
      location: at,
      hint: "check --vault-password-file (or RUNBOOK_VAULT_PASSWORD_FILE)",
    });
  }
}
