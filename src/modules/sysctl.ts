/** sysctl: a kernel parameter, persisted in a sysctl file (as Ansible writes it) and set live. */
import { z } from "zod";
import { defineModule, type Effect, type Fact, type FactValues, type Plan, type Step } from "./types.js";
import { editedFileFacts, planEditedFile, type EditedFileFacts } from "./support/edit-file.js";
import { change, ok } from "./support/plan.js";
import { ProbeError } from "./support/probe-error.js";
import { boolish } from "./support/schema.js";
import { rewriteSysctlFile, sysctlFileValue, sysctlValue } from "./support/sysctl-file.js";

const KEY = z.string().regex(/^\s*[A-Za-z0-9_.\-/*]+\s*$/, "expected a sysctl key such as net.ipv4.ip_forward");
const VALUE = z.union([z.string(), z.number(), z.boolean()]);

const schema = z
  .strictObject({
    name: KEY.optional().describe("The key, e.g. net.ipv4.ip_forward (alias: key)."),
    key: KEY.optional().describe("Alias of name."),
    value: VALUE.optional().describe("The value (required with state present); true/false and yes/no become 1/0 (alias: val)."),
    val: VALUE.optional().describe("Alias of value."),
    state: z.enum(["present", "absent"]).default("present").describe("absent removes the key from sysctl_file (the live value is left)."),
    sysctl_file: z.string().min(1).default("/etc/sysctl.conf").describe("The file the setting persists in."),
    reload: boolish("Make the live value the file's when the task changed something (runbook sets only this key, with sysctl -w).").default(true),
    sysctl_set: boolish("Set the live value with sysctl -w when it differs, also with reload false.").default(false),
    ignoreerrors: boolish("Ignore a key the kernel does not know (sysctl -e) instead of failing.").default(false),
  })
  .superRefine((args, ctx) => {
    if (args.name === undefined && args.key === undefined) ctx.addIssue({ code: "custom", path: ["name"], message: "missing required argument 'name'" });
    const value = args.value ?? args.val;
    if (args.state === "present" && (value === undefined || sysctlValue(value) === "")) {
      ctx.addIssue({ code: "custom", path: ["value"], message: "state present needs 'value'" });
    }
  })
  .transform(({ key, val, ...args }) => {
    const value = args.value ?? val;
    return { ...args, name: (args.name ?? key ?? "").trim(), value: value === undefined ? undefined : sysctlValue(value) };
  });

type SysctlArgs = z.output<typeof schema>;

/** sysctl -n prints multi-value keys tab-separated; compare values word by word. */
export function sameSysctlValue(a: string, b: string): boolean {
  return a.trim().split(/\s+/).join(" ") === b.trim().split(/\s+/).join(" ");
}

/**
 * The live value (`sysctl -n`); null for a key the kernel lacks with ignoreerrors (`sysctl -e`
 * prints nothing), a failure without. Its subject `sysctl:<name>` is what a planned `sysctl -w` predicts.
 */
function liveValueFact(name: string, ignoreErrors: boolean): Fact<string | null> {
  return {
    argv: ["sysctl", ...(ignoreErrors ? ["-e"] : []), "-n", "--", name],
    subject: `sysctl:${name}`,
    parse: (result) => {
      if (result.rc !== 0) throw new ProbeError(`unknown sysctl key ${name}: ${result.stderr.trim() || `exit ${result.rc}`}`);
      return ignoreErrors && result.stdout.trim() === "" ? null : result.stdout;
    },
    predict: (after) => (typeof after === "string" ? after : undefined),
  };
}

/** The live value matters only when the task may set it. */
const setsLive = (args: SysctlArgs): boolean => args.state === "present" && (args.reload || args.sysctl_set);

type SysctlFacts = FactValues<EditedFileFacts> & { readonly live: string | null | undefined };

/** The file's plan (rewritten only when the key's value in it differs), with `sysctl -w` added when the live value differs. */
function planSysctl(args: SysctlArgs, facts: SysctlFacts): Plan {
  const edit = (text: string): string => (sysctlFileValue(text, args.name) === args.value ? text : rewriteSysctlFile(text, args.name, args.value));
  const filePlan = planEditedFile({ path: args.sysctl_file, edit, create: true, attributes: {} }, facts);
  const value = args.value ?? "";
  if (filePlan.kind === "fail" || filePlan.kind === "skip" || facts.live === undefined) return filePlan;
  if (facts.live !== null && sameSysctlValue(facts.live, value)) return filePlan.kind === "ok" ? ok(`${args.name} is ${value}`) : filePlan;
  const setLive: Step = { kind: "run", argv: ["sysctl", ...(args.ignoreerrors ? ["-e"] : []), "-w", `${args.name}=${value}`] };
  const live: Effect = { kind: "thing", subject: `sysctl:${args.name}`, after: value };
  const now = facts.live === null ? "unknown to the kernel" : `${facts.live.trim()} now`;
  if (filePlan.kind === "ok") return change([setLive], `${args.name} is ${now}, wanted ${value}`, [live]);
  return { ...filePlan, steps: [...filePlan.steps, setLive], effects: [...(filePlan.effects ?? []), live] };
}

export const sysctl = defineModule({
  name: "sysctl",
  collection: "ansible.posix",
  summary: "Set a kernel parameter now and at boot",
  example: ["- name: Route packets", "  sysctl:", "    name: net.ipv4.ip_forward", '    value: "1"', "    sysctl_file: /etc/sysctl.d/90-forward.conf"].join("\n"),
  schema,
  facts: (args) => ({ ...editedFileFacts(args.sysctl_file), live: setsLive(args) ? liveValueFact(args.name, args.ignoreerrors) : undefined }),
  plan: (args, facts) => planSysctl(args, facts),
});
