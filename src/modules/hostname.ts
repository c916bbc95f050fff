/**
 * hostname: the host's name, as Ansible's Debian strategies set it. With systemd (use: systemd,
 * or debian, which Ansible maps to systemd; the default on a systemd host) hostnamectl sets the
 * static name first, then the transient one. On a Debian host without systemd (use: file, the
 * default there) the name is /etc/hostname only: like Ansible's FileStrategy, the running
 * name is left to the next boot.
 */
import { z } from "zod";
import { defineModule, type Fact, type FactValues, type Plan, type PlanContext, type ProbeResult, type Step } from "./types.js";
import type { FileText } from "./support/content.js";
import type { FileState } from "./support/file-state.js";
import { editedFileFacts, planEditedFile } from "./support/edit-file.js";
import { change, fail, ok } from "./support/plan.js";
import { ProbeError } from "./support/probe-error.js";

const schema = z.strictObject({
  name: z.string().min(1).describe("The wanted host name."),
  use: z
    .enum(["systemd", "debian", "file"])
    .optional()
    .describe("systemd (and debian, as in Ansible): hostnamectl; file: /etc/hostname only. Default: systemd when the host runs it, else file."),
});

type HostnameArgs = z.output<typeof schema>;

const HOSTNAME_FILE = "/etc/hostname";

function strategy(args: HostnameArgs, ctx: PlanContext): "systemd" | "file" {
  if (args.use === "systemd" || args.use === "debian") return "systemd";
  if (args.use === "file") return "file";
  return ctx.facts?.serviceManager === "systemd" ? "systemd" : "file";
}

function hostnamectlFact(kind: "static" | "transient"): Fact<string> {
  return {
    argv: ["hostnamectl", `--${kind}`, "status"],
    subject: `hostname:${kind}`,
    parse: (result: ProbeResult) => {
      if (result.rc !== 0) throw new ProbeError(`hostnamectl failed: ${result.stderr.trim() || `exit ${result.rc}`}`);
      return result.stdout.trim();
    },
    predict: (after) => (typeof after === "string" ? after : undefined),
  };
}

// a type, not an interface: only a type is assignable to FactRequests' index signature
type HostnameFactRequests = {
  readonly staticName: Fact<string> | undefined;
  readonly transientName: Fact<string> | undefined;
  readonly fileState: Fact<FileState> | undefined;
  readonly fileText: Fact<FileText> | undefined;
};

function hostnameFacts(args: HostnameArgs, ctx: PlanContext): HostnameFactRequests {
  if (strategy(args, ctx) === "systemd") return { staticName: hostnamectlFact("static"), transientName: hostnamectlFact("transient"), fileState: undefined, fileText: undefined };
  const file = editedFileFacts(HOSTNAME_FILE);
  return { staticName: undefined, transientName: undefined, fileState: file.state, fileText: file.content };
}

type HostnameFacts = FactValues<HostnameFactRequests>;

const ansibleFacts = (name: string) => ({ ansible_hostname: name.split(".")[0] ?? name, ansible_nodename: name });

function planSystemd(name: string, facts: HostnameFacts): Plan {
  if (name.length > 64) return fail("name cannot be longer than 64 characters on systemd servers, try a shorter name");
  const steps: Step[] = [];
  if (facts.staticName !== name) steps.push({ kind: "run", argv: ["hostnamectl", "--pretty", "--static", "set-hostname", name] });
  if (facts.transientName !== name) steps.push({ kind: "run", argv: ["hostnamectl", "--transient", "set-hostname", name] });
  if (steps.length === 0) return ok(`the host is named ${name}`, { data: { name } });
  return change(steps, undefined, [{ kind: "thing", subject: "hostname:static", after: name }, { kind: "thing", subject: "hostname:transient", after: name }], { data: { name } });
}

function planFile(name: string, facts: HostnameFacts): Plan {
  if (facts.fileState === undefined || facts.fileText === undefined) return fail("internal: /etc/hostname facts missing");
  const current = facts.fileState.exists && facts.fileText.read ? facts.fileText.text.trim() : "";
  if (current === name) return ok(`${HOSTNAME_FILE} names ${name}`, { data: { name } });
  const plan = planEditedFile({ path: HOSTNAME_FILE, edit: () => `${name}\n`, create: true, attributes: {} }, { state: facts.fileState, content: facts.fileText });
  return plan.kind === "fail" ? plan : { ...plan, data: { name } };
}

export const hostname = defineModule({
  name: "hostname",
  summary: "Set the host's name (hostnamectl, or /etc/hostname without systemd)",
  example: ["- name: Name the host after its inventory name", "  hostname:", '    name: "{{ inventory_hostname }}"'].join("\n"),
  schema,
  facts: hostnameFacts,
  plan: (args, facts, ctx) => {
    const plan = strategy(args, ctx) === "systemd" ? planSystemd(args.name, facts) : planFile(args.name, facts);
    return plan.kind === "fail" ? plan : { ...plan, data: { ...plan.data, ansible_facts: ansibleFacts(args.name) } };
  },
});
