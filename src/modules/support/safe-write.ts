/**
 * Ansible's `backup` and `validate` around the one upload rule (put-file.ts): both change the
 * plan's put of `dest`, so any module that writes through planWantedFile can take them.
 *
 * backup: before the write, `cp -p` of the old file to `DEST.NUMBER.YYYY-MM-DD@HH:MM:SS~`
 * (Ansible's backup_local names it with its pid; the name is registered as `backup_file`).
 * validate: the new content goes to a temp file beside dest, the command (its `%s` is that
 * file) must succeed, and only then is the temp file renamed over dest; a failure removes it.
 */
import { randomBytes } from "node:crypto";
import { basename, dirname, join } from "node:path";
import type { Effect, Plan, Step } from "../types.js";
import { splitWords } from "../command.js";
import { shScript } from "../../transport/quote.js";
import { fail } from "./plan.js";

type PutStep = Extract<Step, { kind: "put" }>;

function isPutOf(step: Step, dest: string): step is PutStep {
  return step.kind === "put" && step.path === dest;
}

function twoDigits(value: number): string {
  return String(value).padStart(2, "0");
}

/** The backup's name, as Ansible's backup_local spells it (a number where Ansible has its pid). */
export function backupPath(path: string, now: Date = new Date()): string {
  const date = `${now.getFullYear()}-${twoDigits(now.getMonth() + 1)}-${twoDigits(now.getDate())}`;
  const time = `${twoDigits(now.getHours())}:${twoDigits(now.getMinutes())}:${twoDigits(now.getSeconds())}`;
  return `${path}.${process.pid}.${date}@${time}~`;
}

/**
 * With `backup`, a write of an existing `dest` first copies it aside; `before` is its current
 * content (for check mode's prediction of the copy), undefined when the file does not exist;
 * `named`: the path the backup is named after (the task's path, when dest is a link's target).
 */
export function withBackup(plan: Plan, dest: string, before: Buffer | undefined, wanted: boolean, named: string = dest): Plan {
  if (!wanted || plan.kind !== "change" || before === undefined || !plan.steps.some((step) => isPutOf(step, dest))) return plan;
  const copy = backupPath(named);
  const steps: Step[] = [{ kind: "run", argv: ["cp", "-p", "--", dest, copy] }, ...plan.steps];
  const effect: Effect = { kind: "path", path: copy, after: { exists: true, kind: "file", content: before } };
  return { ...plan, steps, effects: [...(plan.effects ?? []), effect], data: { ...plan.data, backup_file: copy } };
}

/** The put of dest's effect's mode, so that the temp file (a new file) gets what dest would keep. */
function keptMode(plan: Extract<Plan, { kind: "change" }>, dest: string): string | undefined {
  for (const effect of plan.effects ?? []) {
    if (effect.kind === "path" && effect.path === dest && effect.after.exists) return effect.after.mode;
  }
  return undefined;
}

/** With `validate`, the plan's put of dest goes through a checked temp file (see the top). */
export function withValidate(plan: Plan, dest: string, validate: string | undefined): Plan {
  if (validate === undefined || plan.kind !== "change") return plan;
  if (!validate.includes("%s")) return fail(`validate must contain %s: ${validate}`);
  const steps = plan.steps.flatMap((step): Step[] => {
    if (!isPutOf(step, dest)) return [step];
    const temp = join(dirname(dest), `.${basename(dest)}.runbook-validate-${randomBytes(6).toString("hex")}`);
    const command = splitWords(validate).map((word) => word.replaceAll("%s", temp));
    const check: Step = {
      kind: "run",
      argv: shScript('t="$1"; d="$2"; shift 2; "$@" || { rc=$?; rm -f -- "$t"; exit "$rc"; }; mv -f -- "$t" "$d"', temp, dest, ...command),
      describe: `validate with \`${validate}\`, then move into ${dest}`,
    };
    return [{ ...step, path: temp, mode: step.mode ?? keptMode(plan, dest) }, check];
  });
  return { ...plan, steps };
}
