/**
 * A keyword's boolean at run time: written as true/false, or as a template Ansible renders with
 * the task's variables (`ignore_errors: "{{ ansible_check_mode }}"`), then reads as a boolean
 * the way its post_validate does (yes/no/1/0 words, anything else false).
 */
import type { SourceLocation } from "../errors.js";
import { boolWord } from "../playbook/booleans.js";
import type { Flag, Vars } from "../playbook/model.js";
import { renderValue } from "../template/index.js";

export function flagValue(flag: Flag, vars: Vars, where: SourceLocation): boolean {
  if (typeof flag === "boolean") return flag;
  const value = renderValue(flag, vars, where);
  if (typeof value === "boolean") return value;
  if (typeof value === "number") return value === 1;
  return typeof value === "string" ? (boolWord(value.trim()) ?? false) : false;
}

/** The nearest of several optional flags (the task's, then its blocks'), or undefined. */
export function optionalFlag(flag: Flag | undefined, vars: Vars, where: SourceLocation): boolean | undefined {
  return flag === undefined ? undefined : flagValue(flag, vars, where);
}
