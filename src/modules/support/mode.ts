/**
 * Modes as Ansible (and chmod) take them: octal ("0644") or symbolic ("u+x,g=rX,o="), and the
 * mode a symbolic one gives a path of a known mode and kind, so a plan can compare it and check
 * mode can predict it.
 */

const SYMBOLIC_CLAUSE = /^[ugoa]*(?:[-+=](?:[rwxXst]*|[ugo]))+$/;

export function isSymbolicMode(mode: string): boolean {
  return mode !== "" && !/^[0-7]+$/.test(mode) && mode.split(",").every((clause) => SYMBOLIC_CLAUSE.test(clause));
}

const WHO_BITS: Readonly<Record<string, number>> = { u: 0o4700, g: 0o2070, o: 0o1007 };
/** A umask of 022, the hosts' default, for clauses without u/g/o (chmod's "+x" means a+x less the umask). */
const UMASK = 0o022;

/** The permission bits `spec` (octal or symbolic) gives a path whose bits are `current`. */
export function resolveMode(spec: string, current: number, isDirectory: boolean): number {
  if (!isSymbolicMode(spec)) return parseInt(spec, 8);
  let mode = current & 0o7777;
  for (const clause of spec.split(",")) mode = applyClause(clause, mode, isDirectory);
  return mode;
}

/** `resolveMode` as four octal digits. */
export function resolveModeText(spec: string, current: string | number, isDirectory: boolean): string {
  const bits = typeof current === "number" ? current : parseInt(current, 8);
  return resolveMode(spec, bits, isDirectory).toString(8).padStart(4, "0");
}

function applyClause(clause: string, start: number, isDirectory: boolean): number {
  const who = /^[ugoa]*/.exec(clause)?.[0] ?? "";
  const mask = who === "" ? 0o7777 & ~UMASK : [...(who.includes("a") ? "ugo" : who)].reduce((bits, letter) => bits | (WHO_BITS[letter] ?? 0), 0);
  let mode = start;
  for (const [, op = "", perms = ""] of clause.slice(who.length).matchAll(/([-+=])([^-+=]*)/g)) {
    const bits = permBits(perms, mode, isDirectory) & mask;
    if (op === "=") mode = (mode & ~(who === "" ? 0o7777 : mask)) | bits;
    else if (op === "+") mode |= bits;
    else mode &= ~bits;
  }
  return mode;
}

/** The bits (in all three classes; the caller masks them) that `perms` names. */
function permBits(perms: string, mode: number, isDirectory: boolean): number {
  if (perms === "u" || perms === "g" || perms === "o") {
    const shift = { u: 6, g: 3, o: 0 }[perms];
    return ((mode >> shift) & 7) * 0o111;
  }
  let bits = 0;
  for (const letter of perms) {
    if (letter === "r") bits |= 0o444;
    else if (letter === "w") bits |= 0o222;
    else if (letter === "x" || (letter === "X" && (isDirectory || (mode & 0o111) !== 0))) bits |= 0o111;
    else if (letter === "s") bits |= 0o6000;
    else if (letter === "t") bits |= 0o1000;
  }
  return bits;
}
