/**
 * The words that mean true and false, wherever runbook reads a boolean: playbook keywords
 * (become, gather_facts, ...), module arguments, inventory variables, the `bool` filter and the
 * editor schema. Ansible's list
 * (module_utils/parsing/convert_bool.py), matched without regard to case.
 */

export const TRUE_WORDS = ["true", "yes", "on", "y", "t", "1"] as const;
export const FALSE_WORDS = ["false", "no", "off", "n", "f", "0"] as const;

/** true or false for a boolean word in any case ("Yes", "OFF"), undefined for anything else. */
export function boolWord(text: string): boolean | undefined {
  const word = text.toLowerCase();
  if ((TRUE_WORDS as readonly string[]).includes(word)) return true;
  if ((FALSE_WORDS as readonly string[]).includes(word)) return false;
  return undefined;
}

/**
 * The spellings an editor offers and module arguments accept: each word lower-case, Capitalised
 * and UPPER-case ("yes", "Yes", "YES"). The keyword loader takes any case; a JSON Schema enum
 * cannot say "any case", so these are the forms people write.
 */
export const BOOL_SPELLINGS: readonly [string, ...string[]] = (() => {
  const spellings = new Set<string>();
  for (const word of [...TRUE_WORDS, ...FALSE_WORDS]) {
    spellings.add(word);
    spellings.add(word.charAt(0).toUpperCase() + word.slice(1));
    spellings.add(word.toUpperCase());
  }
  return [...spellings] as [string, ...string[]];
})();
