/**
 * systemd (systemd_service): `service`'s unit control plus what only systemd has: masking,
 * daemon-reexec, the user and global scopes, --no-block. The plan is support/unit-control.ts,
 * shared with `service`.
 */
import { z } from "zod";
import { defineModule } from "./types.js";
import { boolish } from "./support/schema.js";
import { planUnit, unitFacts, type UnitFacts, type UnitRequest } from "./support/unit-control.js";
import { unitFields } from "./service.js";

const unitName = z
  .string()
  .min(1)
  .refine((name) => !/[*?[]/.test(name), { message: "glob patterns are not supported in a unit name" });

const schema = z
  .strictObject({
    name: unitName.optional().describe("The unit (aliases: service, unit); may be left out to only reload or re-execute systemd."),
    service: unitName.optional().describe("Alias of name."),
    unit: unitName.optional().describe("Alias of name."),
    ...unitFields,
    masked: boolish("Mask the unit (it cannot be started, even by others) or unmask it.").optional(),
    "daemon-reload": boolish("Alias of daemon_reload.").optional(),
    daemon_reexec: boolish("Run systemctl daemon-reexec first (systemd re-executes itself); reported ok, as in Ansible.").default(false),
    "daemon-reexec": boolish("Alias of daemon_reexec.").optional(),
    scope: z.enum(["system", "user", "global"]).default("system").describe("user: the calling user's service manager (--user); global: every user's (--global, enablement only)."),
    no_block: boolish("Queue the start/stop job and return without waiting for it (--no-block).").default(false),
  })
  .transform((args): UnitRequest & { readonly name?: string | undefined } => ({
    name: args.name ?? args.service ?? args.unit ?? "",
    state: args.state,
    enabled: args.enabled,
    masked: args.masked,
    daemon_reload: args.daemon_reload || args["daemon-reload"] === true,
    daemon_reexec: args.daemon_reexec || args["daemon-reexec"] === true,
    scope: args.scope,
    no_block: args.no_block,
  }))
  .superRefine((args, ctx) => {
    if (args.state === undefined && args.enabled === undefined && args.masked === undefined && !args.daemon_reload && !args.daemon_reexec) {
      ctx.addIssue({ code: "custom", path: ["state"], message: "give at least one of 'state', 'enabled', 'masked', 'daemon_reload' or 'daemon_reexec'" });
    }
    const needsName = [args.state, args.enabled, args.masked].some((value) => value !== undefined);
    if (needsName && args.name === "") ctx.addIssue({ code: "custom", path: ["name"], message: "state, enabled and masked need 'name', the unit" });
  });

export const systemd = defineModule({
  name: "systemd",
  summary: "Control a systemd unit: state, enablement, masking, daemon-reload/reexec, user scope",
  example: ["- name: The new unit file is loaded and the unit runs", "  systemd:", "    name: app", "    state: started", "    enabled: true", "    daemon_reload: true"].join("\n"),
  schema,
  facts: (args) => (args.name === "" ? { active: undefined, enabled: undefined, load: undefined } : unitFacts(args)),
  plan: (args, facts, ctx) => planUnit(args, facts.load === undefined ? undefined : (facts as UnitFacts), ctx),
});
