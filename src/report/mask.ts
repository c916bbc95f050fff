/**
 * Masks secret values (vault file values, the become password) in everything printed: the
 * console report at any verbosity, --json and error messages all go through a masked writer.
 */
export const MASK = "********";

/** Values shorter than this are not masked: hiding every "1" or "no" would make output unreadable. */
export const MIN_SECRET_LENGTH = 3;

/** What to replace, longest first (a secret that contains another is masked whole), each as written and as JSON escapes it. */
function spellings(secrets: Iterable<string>): string[] {
  const sorted = [...secrets].filter((secret) => secret.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
  return sorted.flatMap((secret) => {
    // JSON output escapes quotes, backslashes and newlines: mask the escaped spelling too
    const escaped = JSON.stringify(secret).slice(1, -1);
    return escaped === secret ? [secret] : [secret, escaped];
  });
}

function maskSpellings(text: string, replaced: readonly string[]): string {
  let masked = text;
  for (const spelling of replaced) masked = masked.split(spelling).join(MASK);
  return masked;
}

export function maskSecrets(text: string, secrets: Iterable<string>): string {
  return maskSpellings(text, spellings(secrets));
}

/**
 * A writer that masks the current secrets (the set may grow while loading). What to replace is
 * worked out again only when the set changed, not for every line: a run at 1,000 hosts writes
 * tens of thousands of them.
 */
export function maskedWriter(write: (text: string) => void, secrets: ReadonlySet<string>): (text: string) => void {
  let seen: string[] = [];
  let replaced: string[] = [];
  return (text) => {
    if (secrets.size === 0) return write(text);
    if (!sameMembers(secrets, seen)) {
      seen = [...secrets];
      replaced = spellings(seen);
    }
    write(maskSpellings(text, replaced));
  };
}

/** Whether `set` holds exactly `members`, in order (a Set iterates in insertion order). */
function sameMembers(set: ReadonlySet<string>, members: readonly string[]): boolean {
  if (set.size !== members.length) return false;
  let index = 0;
  for (const member of set) if (member !== members[index++]) return false;
  return true;
}
