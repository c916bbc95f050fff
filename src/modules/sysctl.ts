/** sysctl: a kernel parameter, set live (sysctl -w) and persisted in a sysctl.d file. */
import { z } from "zod";
import { defineModule, type Effect, type Fact, type FactValues, type Plan, type Step } from "./types.js";
import { editedFileFacts, planEditedFile, type EditedFileFacts } from "./support/edit-file.js";
import { change, ok } from "./support/plan.js";
import { ProbeError } from "./support/probe-error.js";
import { editLines } from "./support/lines.js";
import { boolish } from "./support/schema.js";

const schema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9_.\-/*]+$/, "expected a sysctl key such as net.ipv4.ip_forward").describe("The key, e.g. net.ipv4.ip_forward."),
  value: z
    .union([z.string(), z.number(), z.boolean()])
    .transform((value) => (typeof value === "boolean" ? (value ? "1" : "0") : String(value)))
    .optional()
    .describe("The value (required with state present); true/false become 1/0."),
  state: z.enum(["present", "absent"]).default("present").describe("absent removes the key from sysctl_file (the live value is left)."),
  sysctl_file: z.string().min(1).default("/etc/sysctl.d/99-runbook.conf").describe("The file the setting persists in."),
  reload: boolish("Also set the live value with sysctl -w when it differs.").default(true),
}).refine((args) => args.state === "absent" || args.value !== undefined, { message: "state present needs 'value'", path: ["value"] });

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

/** sysctl -n prints multi-value keys tab-separated; compare values word by word. */
export function sameSysctlValue(a: string, b: string): boolean {
  return a.trim().split(/\s+/).join(" ") === b.trim().split(/\s+/).join(" ");
}

/** The live value (`sysctl -n`); its subject `sysctl:<name>` is what a planned `sysctl -w` predicts. */
function liveValueFact(name: string): Fact<string> {
  return {
    argv: ["sysctl", "-n", "--", name],
    subject: `sysctl:${name}`,
    parse: (result) => {
      if (result.rc !== 0) throw new ProbeError(`unknown sysctl key ${name}: ${result.stderr.trim() || `exit ${result.rc}`}`);
      return result.stdout;
    },
    predict: (after) => (typeof after === "string" ? after : undefined),
  };
}

type SysctlArgs = z.output<typeof schema>;

/** The persisted file's plan, with the live `sysctl -w` added when the value differs. */
function planSysctl(args: SysctlArgs, facts: FactValues<EditedFileFacts> & { readonly live: string | undefined }): Plan {
  const line = `${args.name} = ${args.value ?? ""}`;
  const regexp = new RegExp(`^\\s*${escape(args.name)}\\s*=`);
  const edit = (text: string): string => editLines(text, { line, regexp, state: args.state });
  const filePlan = planEditedFile({ path: args.sysctl_file, edit, create: true, attributes: {} }, facts);
  if (filePlan.kind === "fail" || args.state === "absent" || facts.live === undefined) return filePlan;
  const value = args.value ?? "";
  if (!args.reload || sameSysctlValue(facts.live, value)) return filePlan.kind === "ok" ? ok(`${args.name} is ${value}`) : filePlan;
  const setLive: Step = { kind: "run", argv: ["sysctl", "-w", `${args.name}=${value}`] };
  const live: Effect = { kind: "thing", subject: `sysctl:${args.name}`, after: value };
  if (filePlan.kind === "ok") return change([setLive], `${args.name} is ${facts.live.trim()} now, wanted ${value}`, [live]);
  return { ...filePlan, steps: [...filePlan.steps, setLive], effects: [...(filePlan.effects ?? []), live] };
}

export const sysctl = defineModule({
  name: "sysctl",
  collection: "ansible.posix",
  summary: "Set a kernel parameter now and at boot",
  example: ["- name: Route packets", "  sysctl:", "    name: net.ipv4.ip_forward", '    value: "1"'].join("\n"),
  schema,
  // the live value matters only to set it: state absent leaves it, and does not read it
  facts: (args) => ({ ...editedFileFacts(args.sysctl_file), live: args.state === "present" ? liveValueFact(args.name) : undefined }),
  plan: (args, facts) => planSysctl(args, facts),
});
