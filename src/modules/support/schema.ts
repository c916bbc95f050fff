/**
 * Argument pieces shared by module schemas, with Ansible's conventions: booleans may be written
 * yes/no/true/false/on/off, modes as "0644" strings (or, with the YAML pitfall below, numbers).
 */
import { z } from "zod";
import { BOOL_SPELLINGS, boolWord } from "../../playbook/booleans.js";
import { isSymbolicMode } from "./mode.js";

/** A boolean that also accepts Ansible's yes/no/true/false/on/off words (playbook/booleans.ts). */
export function boolish(description: string) {
  return z
    .union([z.boolean(), z.enum(BOOL_SPELLINGS)], {
      error: "expected a boolean (true/false/yes/no)",
    })
    .transform((value) => (typeof value === "boolean" ? value : boolWord(value) === true))
    .describe(description);
}

const OCTAL_MODE = /^0?[0-7]{3,4}$/;

/**
 * Normalises a mode to a 4-digit octal string ("0644").
 *
 * YAML pitfall: `mode: 0644` unquoted is read by YAML 1.2 as the decimal number 644 (and by
 * YAML 1.1 tools as octal 420). runbook takes a number's decimal digits as the octal digits the
 * author typed, so 644 and 0644 both mean "0644"; quote modes to avoid any doubt.
 */
export function normaliseMode(value: string | number): string | undefined {
  const text = typeof value === "number" ? (Number.isInteger(value) && value >= 0 ? String(value) : "") : value.trim();
  if (!OCTAL_MODE.test(text)) return undefined;
  return text.padStart(4, "0");
}

function modeArgument(preserve: boolean) {
  const also = preserve ? ', or "preserve"' : "";
  return z
    .union([z.string(), z.number()], { error: 'expected an octal mode such as "0644"' })
    .refine((value) => normaliseMode(value) !== undefined || (typeof value === "string" && (isSymbolicMode(value.trim()) || (preserve && value === "preserve"))), {
      message: `expected an octal mode such as "0644" or a symbolic one such as "u=rw,g=r"${also} (quote it in YAML: mode: "0644")`,
    })
    .transform((value) => normaliseMode(value) ?? String(value).trim())
    .describe(
      `Permissions as an octal string, e.g. "0644", or symbolic as chmod takes them ("u=rwX,g=rX,o=")${preserve ? '; "preserve": the source\'s mode' : ""}. Quote it: unquoted 0644 is a YAML number; runbook reads its digits as octal.`,
    );
}

export const modeArg = modeArgument(false);
/** copy's mode, which may also be "preserve" (the source's mode). */
export const modeOrPreserveArg = modeArgument(true);

export const ownerArg = z.string().min(1).describe("Owner (user name or numeric uid) of the file.");
export const groupArg = z.string().min(1).describe("Group (name or numeric gid) of the file.");

/** The mode/owner/group fields most file-writing modules take. */
export const attributeFields = {
  mode: modeArg.optional(),
  owner: ownerArg.optional(),
  group: groupArg.optional(),
};

export interface Attributes {
  readonly mode?: string | undefined;
  readonly owner?: string | undefined;
  readonly group?: string | undefined;
}

/** A string or a list of strings, always a list after parsing ("a,b" is split on commas). */
export function stringList(description: string) {
  return z
    .union([z.string(), z.array(z.string())], { error: "expected a string or a list of strings" })
    .transform((value) =>
      typeof value === "string"
        ? value
            .split(",")
            .map((part) => part.trim())
            .filter((part) => part !== "")
        : value,
    )
    .describe(description);
}

/**
 * A whole number from `min` (default 0) up to `max`, written as a number or as a digit string (what
 * a template renders to). The bounds are on both sides: the number branch, so editors see them in
 * the JSON Schema, and after the string is converted.
 */
export function intArg(description: string, min = 0, max?: number) {
  const error = max === undefined ? `expected a whole number of at least ${min}` : `expected a whole number from ${min} to ${max}`;
  const bounded = () => {
    const atLeast = z.number().int({ error }).min(min, { error });
    return max === undefined ? atLeast : atLeast.max(max, { error });
  };
  return z
    .union([bounded(), z.string().regex(/^\d+$/, { error })], { error })
    .transform(Number)
    .pipe(bounded())
    .describe(description);
}

/** Builds a kernel interface name argument: 1-15 characters without whitespace, '/', ':' or `more`. */
function interfaceNameArg(description: string, more: string, message: string) {
  return z
    .string()
    .regex(new RegExp(`^[^\\s/:${more}]{1,15}$`), message)
    .describe(description);
}

/** A Linux interface name: at most 15 bytes, no whitespace, '/' or ':'. */
export function linkName(description: string) {
  return interfaceNameArg(description, "", "expected an interface name of 1-15 characters without spaces, '/' or ':'");
}

/** An Open vSwitch bridge or port name: an interface name that also has no '"', which ovs-vsctl reads as quoting. */
export function ovsName(description: string) {
  return interfaceNameArg(description, '"', "expected a name of 1-15 characters without spaces, '/', ':' or '\"'");
}

// Address shapes, loose on purpose (the kernel has the last word): dotted quads, or anything with a ':' for IPv6.
const IPV4 = String.raw`\d{1,3}(?:\.\d{1,3}){3}`;
const IPV6 = String.raw`[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*`;

/** An IPv4 or IPv6 address without a prefix. */
export const IP_ADDRESS = new RegExp(`^(?:${IPV4}|${IPV6})$`);
/** An address with its prefix length: 10.0.0.1/24, fd00::1/64. */
export const IP_CIDR = new RegExp(String.raw`^(?:${IPV4}\/\d{1,2}|${IPV6}\/\d{1,3})$`);
/** A route destination: "default", or an address with or without its prefix length. */
export const ROUTE_DEST = new RegExp(String.raw`^(?:default|${IPV4}(?:\/\d{1,2})?|${IPV6}(?:\/\d{1,3})?)$`);

/**
 * A regular expression written for Ansible (Python's re): named groups (?P<name>...) and
 * backreferences (?P=name) become JavaScript's (?<name>...) and \k<name>.
 */
export function pythonRegExp(source: string): RegExp {
  return new RegExp(source.replace(/\(\?P</g, "(?<").replace(/\(\?P=(\w+)\)/g, "\\k<$1>"));
}

/** A string that must compile with pythonRegExp. */
export function regexpArg(description: string) {
  return z
    .string()
    .refine((value) => {
      try {
        pythonRegExp(value);
        return true;
      } catch {
        return false;
      }
    }, "expected a valid regular expression")
    .describe(description);
}

/** A `validate` command line (lineinfile, blockinfile): `%s` stands for the file to check. */
export const validateArg = z
  .string()
  .refine((value) => value.includes("%s"), "validate must contain %s (the path of the file to check)")
  .describe("A command (no shell) that must accept the new file before it replaces the old one; %s is that file's path.");
