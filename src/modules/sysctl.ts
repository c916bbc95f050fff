/** sysctl: a kernel parameter, set live (sysctl -w) and persisted in a sysctl.d file. */
import { z } from "zod";
import { defineLegacyModule, type LegacyPlan, type Step } from "./types.js";
import { editedFileProbes, planEditedFile } from "./support/edit-file.js";
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

export const sysctl = defineLegacyModule({
  name: "sysctl",
  summary: "Set a kernel parameter now and at boot",
  example: ["- name: Route packets", "  sysctl:", "    name: net.ipv4.ip_forward", '    value: "1"'].join("\n"),
  schema,
  probe: (args) => [...editedFileProbes(args.sysctl_file), { argv: ["sysctl", "-n", "--", args.name] }],
  plan: (args, results): LegacyPlan => {
    const [stateResult, readResult, live] = results;
    const line = `${args.name} = ${args.value ?? ""}`;
    const regexp = new RegExp(`^\\s*${escape(args.name)}\\s*=`);
    const edit = (text: string): string => editLines(text, { line, regexp, state: args.state });
    const filePlan = planEditedFile(
      { path: args.sysctl_file, edit, create: true, attributes: {} },
      [stateResult ?? { rc: 1, stdout: "", stderr: "missing probe" }, readResult ?? { rc: 1, stdout: "", stderr: "" }],
    );
    if (filePlan.failed !== undefined || args.state === "absent") return filePlan;
    if (live === undefined || live.rc !== 0) {
      return { steps: [], failed: `unknown sysctl key ${args.name}: ${live?.stderr.trim() ?? "no probe result"}` };
    }
    const value = args.value ?? "";
    const setLive: Step[] = args.reload && !sameSysctlValue(live.stdout, value) ? [{ kind: "run", argv: ["sysctl", "-w", `${args.name}=${value}`] }] : [];
    return { ...filePlan, steps: [...filePlan.steps, ...setLive], msg: filePlan.steps.length + setLive.length === 0 ? `${args.name} is ${value}` : filePlan.msg };
  },
});
