/**
 * cron: one job (or environment variable) in a user's crontab or in a cron_file, found by its
 * `#Ansible: NAME` marker line (support/crontab.ts). A cron_file is edited as a file (one
 * atomic put, predicted in check mode); a user's crontab is read with `crontab -l` and written
 * whole through `crontab -`.
 */
import { z } from "zod";
import { defineModule, type Fact, type FactValues, type Plan, type ProbeResult } from "./types.js";
import { editedFileFacts, planEditedFile } from "./support/edit-file.js";
import type { FileText } from "./support/content.js";
import type { FileState } from "./support/file-state.js";
import { editCrontab, jobLine, type CronEdit } from "./support/crontab.js";
import { change, fail, ok } from "./support/plan.js";
import { ProbeError } from "./support/probe-error.js";
import { boolish } from "./support/schema.js";

const field = (description: string) => z.union([z.string(), z.number()]).transform(String).default("*").describe(description);

const schema = z.strictObject({
  name: z.string().min(1).describe("The job's name, kept in its `#Ansible: NAME` marker line; with env, the variable's name."),
  job: z.string().optional().describe("The command (alias: value); with env, the variable's value."),
  value: z.string().optional().describe("Alias of job."),
  state: z.enum(["present", "absent"]).default("present").describe("absent removes the job (by its marker) or the variable."),
  user: z.string().min(1).optional().describe("Whose crontab (default: the connecting user's); the user column of a cron_file line."),
  cron_file: z.string().min(1).optional().describe("A file in /etc/cron.d (a bare name) or an absolute path, instead of a user's crontab; deleted when its last job goes."),
  minute: field("Minute field."),
  hour: field("Hour field."),
  day: field("Day of month (alias: dom)."),
  dom: z.union([z.string(), z.number()]).transform(String).optional().describe("Alias of day."),
  month: field("Month field."),
  weekday: field("Day of week (alias: dow)."),
  dow: z.union([z.string(), z.number()]).transform(String).optional().describe("Alias of weekday."),
  special_time: z.enum(["reboot", "yearly", "annually", "monthly", "weekly", "daily", "hourly"]).optional().describe("@reboot, @daily, ... instead of the time fields."),
  disabled: boolish("Keep the job commented out (#).").default(false),
  env: boolish("Manage an environment variable line NAME=\"job\" instead of a job.").default(false),
  insertafter: z.string().optional().describe("With env: put a new variable after this one."),
  insertbefore: z.string().optional().describe("With env: put a new variable before this one."),
});

type CronArgs = z.output<typeof schema>;

const cronPath = (file: string): string => (file.startsWith("/") ? file : `/etc/cron.d/${file}`);

/** The checks Ansible makes when the task runs (a failed task, not a load error). */
function argumentError(args: CronArgs): string | undefined {
  const job = args.job ?? args.value;
  const day = args.dom ?? args.day;
  const weekday = args.dow ?? args.weekday;
  if (args.cron_file !== undefined && cronPath(args.cron_file) === "/etc/crontab") return "Will not manage /etc/crontab via cron_file, see documentation.";
  if (args.special_time !== undefined && [args.minute, args.hour, day, args.month, weekday].some((value) => value !== "*")) return "You must specify time and date fields or special time.";
  if (args.state === "absent") return undefined;
  if (args.cron_file !== undefined && args.user === undefined) return "To use cron_file=... parameter you must specify user=... as well";
  if (job === undefined) return "You must specify 'job' to install a new cron job or variable";
  if (args.insertafter !== undefined && args.insertbefore !== undefined) return "parameters are mutually exclusive: insertafter|insertbefore";
  if ((args.insertafter ?? args.insertbefore) !== undefined && !args.env) return "Insertafter and insertbefore parameters are valid only with env=yes";
  return undefined;
}

function cronEdit(args: CronArgs): CronEdit {
  const job = args.job ?? args.value ?? "";
  const line = args.env
    ? job
    : jobLine({ minute: args.minute, hour: args.hour, day: args.dom ?? args.day, month: args.month, weekday: args.dow ?? args.weekday, special: args.special_time, job, disabled: args.disabled, fileUser: args.cron_file === undefined ? undefined : args.user });
  return { name: args.name, state: args.state, line, env: args.env, insertafter: args.insertafter, insertbefore: args.insertbefore };
}

const crontabArgs = (user: string | undefined): string[] => (user === undefined ? ["crontab"] : ["crontab", "-u", user]);
const crontabSubject = (user: string | undefined): string => `crontab:${user ?? ""}`;

/** A user's crontab as `crontab -l` prints it ("" when there is none: exit 1), without the header lines old crons add. */
export function parseCrontabList(result: ProbeResult): string {
  if (result.rc !== 0 && result.rc !== 1) throw new ProbeError(`could not read the crontab: ${result.stderr.trim() || `exit ${result.rc}`}`);
  if (result.rc === 1) return "";
  const header = [/^# DO NOT EDIT THIS FILE - edit the master and reinstall\./, /^# \(\/tmp\/.*installed on.*\)/, /^# \(.*version.*\)/];
  const lines = result.stdout.split("\n");
  let skip = 0;
  while (skip < 3 && header.some((pattern) => pattern.test(lines[skip] ?? ""))) skip += 1;
  return lines.slice(skip).join("\n");
}

function userCrontabFact(user: string | undefined): Fact<string> {
  return { argv: [...crontabArgs(user), "-l"], subject: crontabSubject(user), parse: parseCrontabList, predict: (after) => (typeof after === "string" ? after : undefined) };
}

// a type, not an interface: only a type is assignable to FactRequests' index signature
type CronFacts = { readonly state: Fact<FileState> | undefined; readonly content: Fact<FileText> | undefined; readonly crontab: Fact<string> | undefined };

function cronFacts(args: CronArgs): CronFacts {
  if (args.cron_file === undefined) return { state: undefined, content: undefined, crontab: userCrontabFact(args.user) };
  const file = editedFileFacts(cronPath(args.cron_file));
  return { state: file.state, content: file.content, crontab: undefined };
}

type CronFactValues = FactValues<CronFacts>;

const withData = (plan: Plan, data: Record<string, unknown>): Plan => (plan.kind === "fail" ? plan : { ...plan, data: { ...plan.data, ...data } });

function planCronFile(path: string, edit: CronEdit, facts: CronFactValues): Plan {
  const { state, content } = facts;
  if (state === undefined || content === undefined) return fail("internal: cron_file facts missing");
  const result = editCrontab(state.exists && content.read ? content.text : "", edit);
  if (!result.ok) return fail(result.error);
  const data = { jobs: result.jobs, envs: result.envs, cron_file: path };
  if (result.emptied) {
    return withData(change([{ kind: "run", argv: ["rm", "-f", "--", path] }], `${path} has no job left`, [{ kind: "path", path, after: { exists: false } }]), data);
  }
  return withData(planEditedFile({ path, edit: () => result.text, create: true, attributes: {} }, { state, content }), data);
}

function planUserCrontab(user: string | undefined, edit: CronEdit, current: string): Plan {
  const result = editCrontab(current, edit);
  if (!result.ok) return fail(result.error);
  const data = { jobs: result.jobs, envs: result.envs };
  if (result.text === current) return ok(`the crontab${user === undefined ? "" : ` of ${user}`} is as wanted`, { data });
  return change([{ kind: "run", argv: [...crontabArgs(user), "-"], stdin: result.text, describe: `install the crontab${user === undefined ? "" : ` of ${user}`}` }], undefined, [{ kind: "thing", subject: crontabSubject(user), after: result.text }], {
    data,
    diffs: [{ path: `crontab${user === undefined ? "" : ` for user "${user}"`}`, before: current, after: result.text }],
  });
}

export const cron = defineModule({
  name: "cron",
  summary: "Manage a cron job or variable, in a user's crontab or a cron.d file",
  example: ["- name: Nightly backup", "  cron:", "    name: backup", '    minute: "0"', '    hour: "2"', "    job: /usr/local/bin/backup", "    cron_file: backup", "    user: root"].join("\n"),
  schema,
  facts: cronFacts,
  plan: (args, facts) => {
    const error = argumentError(args);
    if (error !== undefined) return fail(error);
    const edit = cronEdit(args);
    if (args.cron_file !== undefined) return planCronFile(cronPath(args.cron_file), edit, facts);
    return planUserCrontab(args.user, edit, facts.crontab ?? "");
  },
});
