/**
 * Masks secret values (vault file values, the become password) in everything printed: the
 * console report at any verbosity, --json and error messages all go through a masked writer.
 */
export const MASK = "********";

/** Values shorter than this are not masked: hiding every "1" or "no" would make output unreadable. */
export const MIN_SECRET_LENGTH = 3;

export function maskSecrets(text: string, secrets: Iterable<string>): string {
  const sorted = [...secrets].filter((secret) => secret.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
  let masked = text;
  for (const secret of sorted) {
    masked = masked.split(secret).join(MASK);
    // JSON output escapes quotes, backslashes and newlines: mask the escaped spelling too
    const escaped = JSON.stringify(secret).slice(1, -1);
    if (escaped !== secret) masked = masked.split(escaped).join(MASK);
  }
  return masked;
}

/** A writer that masks the current secrets (the set may grow while loading). */
export function maskedWriter(write: (text: string) => void, secrets: ReadonlySet<string>): (text: string) => void {
  return (text) => write(secrets.size === 0 ? text : maskSecrets(text, secrets));
}
