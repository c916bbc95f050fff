/**
 * service_facts: Ansible's `services` fact from three read-only systemctl listings (one round
 * trip, cacheable like any probe). Never changes the host, so it is always "ok".
 */
import { z } from "zod";
import { defineModule, type Fact, type ProbeResult } from "./types.js";
import { fail, ok } from "./support/plan.js";
import { ProbeError } from "./support/probe-error.js";
import { serviceFacts as parseServices } from "./support/systemd-units.js";

const schema = z
  .strictObject({})
  .describe(
    "Sets `services` (also `ansible_facts.services`): every systemd service unit by its full name " +
      "(`ssh.service`) with `name`, `state` (running, stopped; inactive or unknown for units not loaded), " +
      "`status` (enabled, disabled, static, masked, not-found, ...) and `source: systemd`. A unit that is " +
      "only referred to has status not-found, so test `status` as well as `in services`. Listing every " +
      "unit file costs systemd ~0.2 s of CPU per host: to ask after a few known units, `systemctl show` is cheaper.",
  );

/** A listing's output; a listing that failed outright (systemctl missing, or no systemd running) is no answer. */
function listing(argv: string[]): Fact<string> {
  return {
    argv,
    parse: (result: ProbeResult) => {
      if (result.rc !== 0) throw new ProbeError(`systemctl failed: ${result.stderr.trim() || `exit ${result.rc}`}`);
      return result.stdout;
    },
  };
}

const listings = {
  units: listing(["systemctl", "list-units", "--type=service", "--all", "--no-legend", "--plain"]),
  // The pattern, not --type=service: systemd then works out the enablement of service files
  // only (--type filters afterwards), half the time of this the slowest listing.
  files: listing(["systemctl", "list-unit-files", "--no-legend", "--", "*.service"]),
  // Only for aliases that are not loaded under their own name (sshd.service -> ssh.service).
  // A failed show only loses the states of unloaded aliases; the listings still stand.
  shown: { argv: ["systemctl", "show", "--property=Names,ActiveState", "--", "*.service"], parse: (result: ProbeResult) => (result.rc === 0 ? result.stdout : "") },
};

export const serviceFactsModule = defineModule({
  name: "service_facts",
  factNames: ["services"],
  summary: "Read every systemd service's state and enablement into the `services` fact",
  example: [
    "- name: Which services exist",
    "  service_facts:",
    "- name: No firewalld",
    "  service: { name: firewalld, state: stopped, enabled: false }",
    "  when: services['firewalld.service'].status | default('not-found') != 'not-found'",
  ].join("\n"),
  schema,
  readsOnly: true,
  facts: () => listings,
  plan: (_args, { units, files, shown }, ctx) => {
    if (ctx.facts !== undefined && ctx.facts.serviceManager !== "systemd") return fail(`service manager ${ctx.facts.serviceManager} is not supported (systemd only)`);
    const services = parseServices(units, files, shown);
    return ok(`${Object.keys(services).length} services`, { facts: { services } });
  },
});
