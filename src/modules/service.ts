/** service: a systemd unit's running and enabled state (the unit logic is support/unit-control.ts, shared with systemd). */
import { z } from "zod";
import { defineModule } from "./types.js";
import { boolish } from "./support/schema.js";
import { planUnit, unitFacts } from "./support/unit-control.js";

export { parseUnitLoad, type UnitLoad, type UnitState } from "./support/unit-control.js";

/** The arguments `service` and `systemd` share. */
export const unitFields = {
  state: z.enum(["started", "stopped", "restarted", "reloaded"]).optional().describe("restarted/reloaded always act."),
  enabled: boolish("Start the unit at boot.").optional(),
  daemon_reload: boolish(
    "Run systemctl daemon-reload first, every time, as Ansible does (reported ok: it changes no unit's state). " +
      "systemd's NeedDaemonReload cannot be trusted to skip it: systemd 252 says no for a drop-in in a new .d directory.",
  ).default(false),
};

const schema = z
  .strictObject({ name: z.string().min(1).describe("The unit name (nginx or nginx.service)."), ...unitFields })
  .refine((args) => args.state !== undefined || args.enabled !== undefined || args.daemon_reload, {
    message: "give at least one of 'state', 'enabled' or 'daemon_reload'",
    path: ["state"],
  });

export const service = defineModule({
  name: "service",
  summary: "Start, stop, restart, reload and enable systemd units",
  example: ["- name: nginx runs at boot", "  service:", "    name: nginx", "    state: started", "    enabled: true"].join("\n"),
  schema,
  facts: (args) => unitFacts(args),
  plan: (args, unit, ctx) => planUnit(args, unit, ctx),
});
